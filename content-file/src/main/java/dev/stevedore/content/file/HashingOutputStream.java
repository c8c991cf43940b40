package dev.stevedore.content.file;

import dev.stevedore.content.Digester;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Feeds every byte written through it to a digester (which also counts them). */
final class HashingOutputStream extends FilterOutputStream {
  private final Digester digester;

  HashingOutputStream(OutputStream out, Digester digester) {
    super(out);
    this.digester = digester;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digester.update((byte) b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    digester.update(b, off, len);
  }
}
