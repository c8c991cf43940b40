package dev.stevedore.content;

import org.jspecify.annotations.Nullable;

/**
 * A descriptor, digest or manifest is malformed: bad digest syntax, negative size, missing fields,
 * JSON that does not parse.
 */
public class InvalidDescriptorException extends ContentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   */
  public InvalidDescriptorException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed, on what, and what to do
   * @param cause the underlying failure, may be null
   */
  public InvalidDescriptorException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
