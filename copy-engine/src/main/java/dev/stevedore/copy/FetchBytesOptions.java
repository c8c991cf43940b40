package dev.stevedore.copy;

import dev.stevedore.content.Contents;
import java.util.Objects;

/**
 * Options of {@link Copy#fetchBytes}. Immutable; start from {@link #defaults()}.
 *
 * <p>Defaults: {@link ResolveOptions#defaults()}, at most 4 MiB.
 *
 * @param resolveOptions how the reference is resolved
 * @param maxBytes the most bytes read; content whose descriptor claims more is refused unread
 */
public record FetchBytesOptions(ResolveOptions resolveOptions, long maxBytes) {
  /**
   * Validates.
   *
   * @throws IllegalArgumentException if {@code maxBytes < 0}
   */
  public FetchBytesOptions {
    Objects.requireNonNull(resolveOptions, "resolveOptions");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
  }

  /**
   * The default options.
   *
   * @return default resolution, 4 MiB
   */
  public static FetchBytesOptions defaults() {
    return new FetchBytesOptions(ResolveOptions.defaults(), Contents.DEFAULT_MAX_METADATA_BYTES);
  }

  /**
   * Sets the byte limit.
   *
   * @param value bytes
   * @return a copy with it
   */
  public FetchBytesOptions withMaxBytes(long value) {
    return new FetchBytesOptions(resolveOptions, value);
  }

  /**
   * Sets how the reference is resolved.
   *
   * @param value the resolve options
   * @return a copy with them
   */
  public FetchBytesOptions withResolveOptions(ResolveOptions value) {
    return new FetchBytesOptions(value, maxBytes);
  }
}
