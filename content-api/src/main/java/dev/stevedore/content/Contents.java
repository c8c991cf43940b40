package dev.stevedore.content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reading content into memory, bounded. Only metadata (manifests, indexes, configs) is ever read
 * whole, and never past a limit: a descriptor's size never drives an allocation bigger than the
 * limit, whatever it claims.
 */
public final class Contents {
  /** The default limit for metadata read into memory: 4 MiB, as oras-go and registries use. */
  public static final long DEFAULT_MAX_METADATA_BYTES = 4L * 1024 * 1024;

  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

  private Contents() {}

  /**
   * Fetches content and reads it whole, verified against the descriptor.
   *
   * @param fetcher where to fetch from
   * @param desc the content
   * @param maxBytes the limit; content whose descriptor claims more is refused before any read
   * @return the verified bytes
   * @throws SizeLimitExceededException if the descriptor's size exceeds {@code maxBytes}
   * @throws DigestMismatchException if the content does not match
   * @throws IOException if fetching fails
   */
  public static byte[] fetchAll(Fetcher fetcher, Descriptor desc, long maxBytes)
      throws IOException {
    checkSize(desc, maxBytes);
    try (InputStream in = fetcher.fetch(desc)) {
      return readAll(in, desc, maxBytes);
    }
  }

  /**
   * Reads a stream whole, verified against the descriptor. The stream is not closed.
   *
   * @param in the content
   * @param desc the descriptor it must match
   * @param maxBytes the limit
   * @return the verified bytes
   * @throws SizeLimitExceededException if the descriptor's size exceeds {@code maxBytes}, or the
   *     stream runs past the size
   * @throws DigestMismatchException if the content ends early or hashes differently
   * @throws IOException if reading fails
   */
  public static byte[] readAll(InputStream in, Descriptor desc, long maxBytes) throws IOException {
    checkSize(desc, maxBytes);
    VerifyingInputStream verifying = new VerifyingInputStream(in, desc);
    byte[] bytes = verifying.readNBytes((int) desc.size());
    verifying.verifyRemaining();
    return bytes;
  }

  /**
   * Reads a stream of unknown size whole, up to a limit. The stream is not closed.
   *
   * @param in the stream
   * @param maxBytes the limit
   * @return the bytes
   * @throws SizeLimitExceededException if the stream holds more than {@code maxBytes}
   * @throws IOException if reading fails
   */
  public static byte[] readLimited(InputStream in, long maxBytes) throws IOException {
    Objects.requireNonNull(in, "in");
    int limit = (int) Math.min(maxBytes, MAX_ARRAY);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (total > limit) {
        throw new SizeLimitExceededException(
            "content exceeds the limit of "
                + maxBytes
                + " bytes; raise the metadata limit if this content is legitimate",
            maxBytes);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static void checkSize(Descriptor desc, long maxBytes) throws SizeLimitExceededException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    if (desc.size() > maxBytes || desc.size() > MAX_ARRAY) {
      throw new SizeLimitExceededException(
          desc.digest()
              + ": "
              + desc.mediaType()
              + " of "
              + desc.size()
              + " bytes exceeds the limit of "
              + maxBytes
              + " bytes for content read into memory",
          maxBytes);
    }
  }
}
