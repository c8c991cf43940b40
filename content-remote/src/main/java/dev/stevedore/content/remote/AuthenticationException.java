package dev.stevedore.content.remote;

import java.net.URI;
import java.util.List;

/**
 * A registry refused the request for want of (valid) credentials or permissions: HTTP 401 or 403,
 * or a token server that rejected the credentials. The message names the registry and says what to
 * do; it never contains a secret.
 */
public class AuthenticationException extends RegistryResponseException {
  private static final long serialVersionUID = 1L;

  /** Why authentication failed. */
  public enum Reason {
    /** The registry wants credentials and none were configured. */
    CREDENTIALS_REQUIRED,
    /** The credentials were presented and rejected. */
    CREDENTIALS_REJECTED,
    /** The credentials are valid but lack the permission for this operation. */
    ACCESS_DENIED
  }

  /** The registry, serialized with the exception. */
  private final String registry;

  /** The reason, serialized with the exception. */
  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   * @param method the HTTP method
   * @param url the URL requested
   * @param statusCode the HTTP status (401 or 403)
   * @param errors the distribution-spec errors of the body, possibly empty
   * @param registry the registry host
   * @param reason why
   */
  public AuthenticationException(
      String message,
      String method,
      URI url,
      int statusCode,
      List<RegistryError> errors,
      String registry,
      Reason reason) {
    super(message, method, url, statusCode, errors);
    this.registry = registry;
    this.reason = reason;
  }

  /**
   * The registry that refused.
   *
   * @return its host, with the port if any
   */
  public String registry() {
    return registry;
  }

  /**
   * Why it refused.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
