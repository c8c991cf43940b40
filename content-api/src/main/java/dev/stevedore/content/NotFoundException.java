package dev.stevedore.content;

import org.jspecify.annotations.Nullable;

/**
 * The requested content, tag or reference does not exist in the store.
 *
 * <p>Every store says what was not found: {@link #digest()} for content asked for by descriptor or
 * digest, {@link #reference()} for a tag or reference that does not resolve.
 */
public class NotFoundException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The digest that was not found, serialized with the exception. */
  private final @Nullable Digest digest;

  /** The reference that was not found, serialized with the exception. */
  private final @Nullable String reference;

  /**
   * Creates the exception for content that is missing.
   *
   * @param message what failed, on what, and what to do
   * @param digest the digest of the missing content
   */
  public NotFoundException(String message, Digest digest) {
    this(message, digest, null, null);
  }

  /**
   * Creates the exception for a tag or reference that does not resolve.
   *
   * @param message what failed, on what, and what to do
   * @param reference the tag, digest or full reference that was asked for
   */
  public NotFoundException(String message, String reference) {
    this(message, Digest.tryParse(reference).orElse(null), reference, null);
  }

  /**
   * Creates the exception with everything it can carry.
   *
   * @param message what failed, on what, and what to do
   * @param digest the digest of the missing content, may be null when unknown
   * @param reference the tag or reference asked for, may be null when the content was asked for by
   *     descriptor
   * @param cause the underlying failure, may be null
   */
  public NotFoundException(
      String message,
      @Nullable Digest digest,
      @Nullable String reference,
      @Nullable Throwable cause) {
    super(message, cause);
    this.digest = digest;
    this.reference = reference;
  }

  /**
   * Creates the exception when neither a digest nor a reference applies (a file, an archive).
   *
   * @param message what failed, on what, and what to do
   */
  public NotFoundException(String message) {
    this(message, null, null, null);
  }

  /**
   * Creates the exception with a cause, when neither a digest nor a reference applies.
   *
   * @param message what failed, on what, and what to do
   * @param cause the underlying failure, may be null
   */
  public NotFoundException(String message, @Nullable Throwable cause) {
    this(message, null, null, cause);
  }

  /**
   * The digest of the content that was not found: the descriptor's digest when content was asked
   * for, or the digest a reference named.
   *
   * @return the digest, or null when the request named no digest (a tag)
   */
  public @Nullable Digest digest() {
    return digest;
  }

  /**
   * The tag, digest string or reference that did not resolve, as the caller gave it.
   *
   * @return the reference, or null when content was asked for by descriptor
   */
  public @Nullable String reference() {
    return reference;
  }
}
