package dev.stevedore.content;

import org.jspecify.annotations.Nullable;

/** The content has a media type or shape that the operation cannot handle. */
public class UnsupportedContentException extends ContentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   */
  public UnsupportedContentException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed, on what, and what to do
   * @param cause the underlying failure, may be null
   */
  public UnsupportedContentException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
