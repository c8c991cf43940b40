package dev.stevedore.testing;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digester;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * Large deterministic content generated on the fly, so a test can move gigabytes without holding
 * them in memory: the same size and seed always give the same bytes, whatever the read sizes.
 */
public final class GeneratedContent {
  private static final int BLOCK = 64 * 1024;

  private GeneratedContent() {}

  /**
   * A fresh stream of the content.
   *
   * @param size how many bytes
   * @param seed the seed
   * @return the stream
   */
  public static InputStream stream(long size, long seed) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private final byte[] block = new byte[BLOCK];
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

  /**
   * The descriptor of the content, found by streaming it once.
   *
   * @param mediaType the media type to give it
   * @param size how many bytes
   * @param seed the seed
   * @return its descriptor
   * @throws IOException never, in practice
   */
  public static Descriptor describe(String mediaType, long size, long seed) throws IOException {
    Digester digester = Digester.sha256();
    byte[] buffer = new byte[BLOCK * 4];
    try (InputStream in = stream(size, seed)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digester.update(buffer, 0, n);
      }
    }
    return Descriptor.of(mediaType, digester.digest(), size);
  }
}
