package dev.stevedore.content;

/**
 * A date-time (the {@code org.opencontainers.image.created} annotation) is not in the RFC 3339 form
 * the image spec requires, such as {@code 2024-01-02T03:04:05Z} (oras-go's {@code
 * ErrInvalidDateTimeFormat}).
 */
public class InvalidDateTimeException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The refused value, serialized with the exception. */
  private final String value;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   * @param value the refused value
   */
  public InvalidDateTimeException(String message, String value) {
    super(message);
    this.value = value;
  }

  /**
   * The value that was refused.
   *
   * @return the value as given
   */
  public String value() {
    return value;
  }
}
