package dev.stevedore.content.file;

import dev.stevedore.content.Digester;
import dev.stevedore.content.internal.ForwardInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Feeds every byte read through it to a digester; skipped bytes are read, so they are hashed too.
 */
final class HashingInputStream extends ForwardInputStream {
  private final Digester digester;

  HashingInputStream(InputStream in, Digester digester) {
    super(in);
    this.digester = digester;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digester.update(b, off, n);
    }
    return n;
  }
}
