package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Digester;
import dev.stevedore.content.Storage;
import dev.stevedore.testing.ForwardingStore;
import java.io.IOException;
import java.io.InputStream;

/**
 * A source whose one big blob is generated on the fly (seeded pseudo-random bytes, the same on
 * every fetch), never held in memory; everything else comes from the wrapped store.
 */
final class GeneratedBlobStore extends ForwardingStore {
  private final Descriptor blob;
  private final long seed;

  GeneratedBlobStore(Storage metadata, Descriptor blob, long seed) {
    super(metadata);
    this.blob = blob;
    this.seed = seed;
  }

  /** The descriptor of the blob a seed and a size generate, found by streaming it once. */
  static Descriptor describe(String mediaType, long size, long seed) throws IOException {
    Digester digester = Digester.sha256();
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = new Generated(size, seed)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digester.update(buffer, 0, n);
      }
    }
    Digest digest = digester.digest();
    return Descriptor.of(mediaType, digest, size);
  }

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    if (target.key().equals(blob.key())) {
      return new Generated(blob.size(), seed);
    }
    return super.fetch(target);
  }

  @Override
  public boolean exists(Descriptor target) throws IOException {
    return target.key().equals(blob.key()) || super.exists(target);
  }

  /** xorshift64* bytes, generated block by block so the output does not depend on read sizes. */
  static final class Generated extends InputStream {
    private final byte[] block = new byte[64 * 1024];
    private long remaining;
    private long state;
    private int position = block.length;

    Generated(long size, long seed) {
      this.remaining = size;
      this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      if (position == block.length) {
        refill();
      }
      int n = (int) Math.min(Math.min(len, block.length - position), remaining);
      System.arraycopy(block, position, b, off, n);
      position += n;
      remaining -= n;
      return n;
    }

    private void refill() {
      for (int i = 0; i < block.length; i += 8) {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        long v = state * 0x2545F4914F6CDD1DL;
        for (int j = 0; j < 8; j++) {
          block[i + j] = (byte) (v >>> (8 * j));
        }
      }
      position = 0;
    }
  }
}
