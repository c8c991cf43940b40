package dev.stevedore.copy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stevedore.content.ContentKey;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ReadOnlyStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * The manifests and indexes of one copy, read from the source once: a Caffeine cache weighed by
 * bytes and bounded by the metadata limit, in front of the source. Anything fetched through it is
 * read whole, verified, and refused before any read when its descriptor claims more than the limit.
 *
 * <p>As a {@link ReadOnlyStorage} it is the cached view of the source handed to successor lookups
 * and root mappers. Failures are {@link CopyException}s on the source side. Thread-safe.
 */
final class MetadataCache implements ReadOnlyStorage {
  private final ReadOnlyStorage source;
  private final long limit;
  private final Cache<ContentKey, byte[]> cache;

  MetadataCache(ReadOnlyStorage source, long limit) {
    this.source = source;
    this.limit = limit;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(limit)
            .weigher((ContentKey key, byte[] bytes) -> bytes.length)
            .executor(Runnable::run)
            .build();
  }

  /** The cached bytes of a node, or null. */
  byte @Nullable [] cached(Descriptor desc) {
    return cache.getIfPresent(desc.key());
  }

  /** Caches bytes already verified against {@code desc}. */
  void put(Descriptor desc, byte[] bytes) {
    cache.put(desc.key(), bytes);
  }

  /** The bytes of a node, from the cache or fetched (and then cached). */
  byte[] bytes(Descriptor desc) throws IOException {
    byte[] bytes = cache.getIfPresent(desc.key());
    if (bytes != null) {
      return bytes;
    }
    // Fetched outside the cache's compute: a slow source must not block other keys.
    bytes =
        Failures.store(
            CopyException.Side.SOURCE,
            CopyException.Operation.FETCH,
            desc,
            null,
            () -> Contents.fetchAll(source, desc, limit));
    cache.put(desc.key(), bytes);
    return bytes;
  }

  long limit() {
    return limit;
  }

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    return new ByteArrayInputStream(bytes(target));
  }

  @Override
  public boolean exists(Descriptor target) throws IOException {
    if (cache.getIfPresent(target.key()) != null) {
      return true;
    }
    return Failures.store(
        CopyException.Side.SOURCE,
        CopyException.Operation.EXISTS,
        target,
        null,
        () -> source.exists(target));
  }
}
