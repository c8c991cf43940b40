package dev.stevedore.content.remote;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digester;
import java.io.InputStream;
import java.util.SplittableRandom;

/** Large deterministic content generated on the fly, so a test never holds a big blob in memory. */
final class GeneratedContent {
  private GeneratedContent() {}

  static InputStream stream(long size, long seed) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private final byte[] block = new byte[64 * 1024];
      private int position = block.length;
      private long left = size;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        if (position == block.length) {
          random.nextBytes(block);
          position = 0;
        }
        int n = (int) Math.min(Math.min(len, block.length - position), left);
        System.arraycopy(block, position, b, off, n);
        position += n;
        left -= n;
        return n;
      }
    };
  }

  static Descriptor describe(String mediaType, long size, long seed) throws java.io.IOException {
    Digester digester = Digester.sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = stream(size, seed)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digester.update(buffer, 0, n);
      }
    }
    return Descriptor.of(mediaType, digester.digest(), size);
  }
}
