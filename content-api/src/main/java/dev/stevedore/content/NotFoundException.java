package dev.stevedore.content;

import org.jspecify.annotations.Nullable;

/** The requested content, tag or reference does not exist in the store. */
public class NotFoundException extends ContentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   */
  public NotFoundException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed, on what, and what to do
   * @param cause the underlying failure, may be null
   */
  public NotFoundException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
