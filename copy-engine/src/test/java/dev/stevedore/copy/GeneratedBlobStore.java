package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Storage;
import dev.stevedore.testing.ForwardingStore;
import dev.stevedore.testing.GeneratedContent;
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
    return GeneratedContent.describe(mediaType, size, seed);
  }

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    if (target.key().equals(blob.key())) {
      return GeneratedContent.stream(blob.size(), seed);
    }
    return super.fetch(target);
  }

  @Override
  public boolean exists(Descriptor target) throws IOException {
    return target.key().equals(blob.key()) || super.exists(target);
  }
}
