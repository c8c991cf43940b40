package dev.stevedore.content.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter stream whose every byte must pass through {@link #read(byte[], int, int)}, once: to be
 * hashed, counted or checked. Single-byte reads and skips go through it; mark and reset are not
 * supported. Subclasses implement {@code read(byte[], int, int)}.
 *
 * <p>Not API: shared by Stevedore's own modules.
 */
public abstract class ForwardInputStream extends FilterInputStream {
  /**
   * Wraps a stream.
   *
   * @param in the stream
   */
  protected ForwardInputStream(InputStream in) {
    super(in);
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  /** Skipped bytes are read, so they are hashed, counted and checked like the others. */
  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.max(1, Math.min(n, 8192))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  /**
   * Reads to the end, discarding the bytes (they still pass through {@code read}).
   *
   * @throws IOException if reading fails
   */
  public void drain() throws IOException {
    byte[] buffer = new byte[8192];
    while (read(buffer, 0, buffer.length) >= 0) {
      // every byte passes through read
    }
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // not supported: every byte passes through once
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported: every byte passes through once");
  }
}
