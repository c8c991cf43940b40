package dev.stevedore.content;

/**
 * A media type (an artifact type, a config media type) is not an RFC 6838 {@code type/subtype}
 * name: each part starts with a letter or digit and continues with at most 126 of {@code A-Z a-z
 * 0-9 ! # $ & - ^ _ . +}; no parameters, no other characters.
 */
public class InvalidMediaTypeException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The refused media type, serialized with the exception. */
  private final String mediaType;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   * @param mediaType the refused media type
   */
  public InvalidMediaTypeException(String message, String mediaType) {
    super(message);
    this.mediaType = mediaType;
  }

  /**
   * The media type that was refused.
   *
   * @return the media type as given
   */
  public String mediaType() {
    return mediaType;
  }
}
