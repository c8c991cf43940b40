package dev.stevedore.copy;

import dev.stevedore.content.Contents;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@link Copy#tagN} and {@link Copy#tagBytesN}. Immutable; start from {@link
 * #defaults()}.
 *
 * <p>Defaults: concurrency {@value CopyGraphOptions#DEFAULT_CONCURRENCY}, metadata limit 4 MiB, the
 * operation's own pool.
 *
 * @param concurrency the most tag requests in flight at once
 * @param maxMetadataBytes the largest manifest read into memory to push it under several tags
 * @param executor where the requests run, or null for a pool owned by the operation
 */
public record TagOptions(int concurrency, long maxMetadataBytes, @Nullable Executor executor) {
  /**
   * Validates.
   *
   * @throws IllegalArgumentException if a limit is below 1
   */
  public TagOptions {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
    }
    if (maxMetadataBytes < 1) {
      throw new IllegalArgumentException("maxMetadataBytes must be positive: " + maxMetadataBytes);
    }
  }

  /**
   * The default options.
   *
   * @return the defaults
   */
  public static TagOptions defaults() {
    return new TagOptions(
        CopyGraphOptions.DEFAULT_CONCURRENCY, Contents.DEFAULT_MAX_METADATA_BYTES, null);
  }

  /**
   * Sets the concurrency.
   *
   * @param value at least 1
   * @return a copy with it
   */
  public TagOptions withConcurrency(int value) {
    return new TagOptions(value, maxMetadataBytes, executor);
  }

  /**
   * Sets the metadata limit.
   *
   * @param value bytes, positive
   * @return a copy with it
   */
  public TagOptions withMaxMetadataBytes(long value) {
    return new TagOptions(concurrency, value, executor);
  }

  /**
   * Sets the executor.
   *
   * @param value the executor, or null for an own pool
   * @return a copy with it
   */
  public TagOptions withExecutor(@Nullable Executor value) {
    return new TagOptions(concurrency, maxMetadataBytes, value);
  }
}
