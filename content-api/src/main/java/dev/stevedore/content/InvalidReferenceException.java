package dev.stevedore.content;

import org.jspecify.annotations.Nullable;

/**
 * A reference (tag, digest or {@code registry/repository[:tag][@digest]}) does not follow the
 * grammar.
 */
public class InvalidReferenceException extends ContentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   */
  public InvalidReferenceException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed, on what, and what to do
   * @param cause the underlying failure, may be null
   */
  public InvalidReferenceException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
