package dev.stevedore.content;

/**
 * A manifest of image-spec 1.1 with an empty config needs an artifact type, and none was given
 * (oras-go's {@code ErrMissingArtifactType}).
 */
public class MissingArtifactTypeException extends ContentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   */
  public MissingArtifactTypeException(String message) {
    super(message);
  }
}
