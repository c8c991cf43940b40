package dev.stevedore.content.remote;

import java.util.Objects;

/**
 * One entry of a distribution-spec error body: {@code
 * {"errors":[{"code":..,"message":..,"detail":..}]}}.
 *
 * @param code the error code, e.g. {@code MANIFEST_BLOB_UNKNOWN}; empty when the body had none
 * @param message the registry's message, possibly empty
 * @param detail the detail as JSON text, possibly empty
 */
public record RegistryError(String code, String message, String detail) {
  /** Validates the parts: none may be null. */
  public RegistryError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(detail, "detail");
  }

  /** Returns {@code CODE: message}. */
  @Override
  public String toString() {
    String text = message.isEmpty() ? code : code + ": " + message;
    return detail.isEmpty() || "null".equals(detail) ? text : text + " (" + detail + ")";
  }
}
