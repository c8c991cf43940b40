package dev.stevedore.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A refusal answered as the spec's JSON error: status, code, message and optional headers (e.g.
 * {@code Range} on a 416). Thrown inside request handling, turned into a response in one place.
 */
final class RegistryError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final ErrorCode code;
  private final transient @Nullable Object detail;
  private final Map<String, String> headers = new LinkedHashMap<>();

  RegistryError(ErrorCode code, String message) {
    this(code.status(), code, message, null);
  }

  RegistryError(int status, ErrorCode code, String message, @Nullable Object detail) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }

  RegistryError header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  int status() {
    return status;
  }

  ErrorCode code() {
    return code;
  }

  @Nullable Object detail() {
    return detail;
  }

  Map<String, String> headers() {
    return headers;
  }
}
