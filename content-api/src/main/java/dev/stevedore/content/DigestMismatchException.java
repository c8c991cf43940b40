package dev.stevedore.content;

import org.jspecify.annotations.Nullable;

/**
 * Content did not match its descriptor: its digest differs, or it ended before the size the
 * descriptor promised. Every store reports these two failures with this type; content that runs
 * past its descriptor's size is a {@link SizeLimitExceededException}. Nothing that failed this
 * check is ever made visible in a store.
 */
public class DigestMismatchException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The expected, serialized with the exception. */
  private final @Nullable Digest expected;

  /** The actual, serialized with the exception. */
  private final @Nullable Digest actual;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   * @param expected the digest the descriptor named, may be null when unknown
   * @param actual the digest actually computed, may be null when the content was cut short
   */
  public DigestMismatchException(
      String message, @Nullable Digest expected, @Nullable Digest actual) {
    super(message);
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * The digest the descriptor named.
   *
   * @return the expected digest, or null when unknown
   */
  public @Nullable Digest expected() {
    return expected;
  }

  /**
   * The digest computed over the content actually received.
   *
   * @return the computed digest, or null when the content ended early and no full digest exists
   */
  public @Nullable Digest actual() {
    return actual;
  }

  /**
   * The digest this failure is about (the expected one), for error classification.
   *
   * @return the expected digest, or null
   */
  public @Nullable Digest digest() {
    return expected;
  }
}
