package dev.stevedore.content;

/**
 * Content is bigger than allowed: a manifest larger than the metadata limit, or a stream that
 * carries more bytes than its descriptor's size (every store reports content that runs long with
 * this type; content that ends early is a {@link DigestMismatchException}).
 */
public class SizeLimitExceededException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The limit, serialized with the exception. */
  private final long limit;

  /**
   * Creates the exception.
   *
   * @param message what failed, on what, and what to do
   * @param limit the limit in bytes that was exceeded
   */
  public SizeLimitExceededException(String message, long limit) {
    super(message);
    this.limit = limit;
  }

  /**
   * The limit that was exceeded.
   *
   * @return the limit in bytes
   */
  public long limit() {
    return limit;
  }
}
