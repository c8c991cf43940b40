package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A registry answered with an unexpected status: carries the method, the URL, the status and the
 * distribution-spec errors of the body. A 404 of a blob or manifest reaches callers as a {@link
 * dev.stevedore.content.NotFoundException} whose cause is this exception; find it anywhere in a
 * cause chain with {@code ContentException.find(e, RegistryResponseException.class)}.
 */
public class RegistryResponseException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The method, serialized with the exception. */
  private final String method;

  /** The url, serialized with the exception. */
  private final URI url;

  /** The status code, serialized with the exception. */
  private final int statusCode;

  /** The errors, serialized with the exception. */
  private final List<RegistryError> errors;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   * @param method the HTTP method
   * @param url the URL requested
   * @param statusCode the HTTP status
   * @param errors the errors of the body, possibly empty
   */
  public RegistryResponseException(
      String message, String method, URI url, int statusCode, List<RegistryError> errors) {
    super(message);
    this.method = Objects.requireNonNull(method, "method");
    this.url = Objects.requireNonNull(url, "url");
    this.statusCode = statusCode;
    this.errors = List.copyOf(errors);
  }

  /**
   * The HTTP method of the failed request.
   *
   * @return e.g. {@code PUT}
   */
  public String method() {
    return method;
  }

  /**
   * The URL of the failed request (never carries credentials: registries take them in headers).
   *
   * @return the URL
   */
  public URI url() {
    return url;
  }

  /**
   * The HTTP status.
   *
   * @return e.g. 404
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * The distribution-spec errors of the response body.
   *
   * @return the errors, empty when the body had none or was not the expected JSON
   */
  public List<RegistryError> errors() {
    return errors;
  }

  /**
   * The error codes of the body, e.g. {@code MANIFEST_BLOB_UNKNOWN}, {@code BLOB_UNKNOWN}, {@code
   * MANIFEST_UNKNOWN}, {@code NAME_UNKNOWN}, {@code DENIED}.
   *
   * @return the codes, in body order, possibly empty
   */
  public List<String> errorCodes() {
    return errors.stream().map(RegistryError::code).toList();
  }

  /**
   * Tells whether the body carried an error code.
   *
   * @param code the code
   * @return true if any error has it
   */
  public boolean hasErrorCode(String code) {
    return errors.stream().anyMatch(e -> e.code().equals(code));
  }
}
