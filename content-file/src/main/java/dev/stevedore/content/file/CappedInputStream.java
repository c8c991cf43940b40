package dev.stevedore.content.file;

import dev.stevedore.content.internal.ForwardInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts what a decompressor yields and stops past a cap: the guard against a decompression bomb (a
 * few kilobytes of gzip that unpack to terabytes). Once over, every read fails, and {@link
 * #exceeded()} tells the caller why, even when a wrapping stream turned the failure into another
 * exception.
 */
final class CappedInputStream extends ForwardInputStream {
  private final long cap;
  private long count;
  private boolean exceeded;

  CappedInputStream(InputStream in, long cap) {
    super(in);
    this.cap = cap;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (exceeded) {
      throw new IOException("the uncompressed stream is larger than " + cap + " bytes");
    }
    // Ask for at most one byte past the cap, so the excess is seen without reading it all.
    int n = in.read(b, off, (int) Math.min(len, cap - count + 1));
    if (n > 0) {
      count += n;
      if (count > cap) {
        exceeded = true;
        throw new IOException("the uncompressed stream is larger than " + cap + " bytes");
      }
    }
    return n;
  }

  /** Whether the cap was passed. */
  boolean exceeded() {
    return exceeded;
  }
}
