package dev.stevedore.content;

import org.jspecify.annotations.Nullable;

/** The content being pushed (or the tag being created) is already in the store. */
public class AlreadyExistsException extends ContentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   */
  public AlreadyExistsException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed, on what, and what to do
   * @param cause the underlying failure, may be null
   */
  public AlreadyExistsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
