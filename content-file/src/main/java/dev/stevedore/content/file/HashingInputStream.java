package dev.stevedore.content.file;

import dev.stevedore.content.Digester;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Feeds every byte read through it to a digester; skipped bytes are read, so they are hashed too. */
final class HashingInputStream extends FilterInputStream {
  private final Digester digester;

  HashingInputStream(InputStream in, Digester digester) {
    super(in);
    this.digester = digester;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      digester.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digester.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
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

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // not supported: every byte must be hashed exactly once
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported on a hashing stream");
  }

  /** Reads to the end of the stream, hashing what is left. */
  void drain() throws IOException {
    byte[] buffer = new byte[8192];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hash the rest
    }
  }
}
