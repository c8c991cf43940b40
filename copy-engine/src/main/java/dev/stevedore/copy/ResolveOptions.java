package dev.stevedore.copy;

import dev.stevedore.content.Contents;
import dev.stevedore.content.Platform;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@link Copy#resolve} and {@link Copy#fetch}. Immutable; start from {@link
 * #defaults()}.
 *
 * <p>Defaults: no target platform (the reference's own descriptor), metadata limit 4 MiB.
 *
 * @param targetPlatform the platform to select from an index (or to check a manifest against), or
 *     null
 * @param maxMetadataBytes the largest index, manifest or config read to select the platform
 */
public record ResolveOptions(@Nullable Platform targetPlatform, long maxMetadataBytes) {
  /**
   * Validates.
   *
   * @throws IllegalArgumentException if {@code maxMetadataBytes < 1}
   */
  public ResolveOptions {
    if (maxMetadataBytes < 1) {
      throw new IllegalArgumentException("maxMetadataBytes must be positive: " + maxMetadataBytes);
    }
  }

  /**
   * The default options.
   *
   * @return no platform, 4 MiB
   */
  public static ResolveOptions defaults() {
    return new ResolveOptions(null, Contents.DEFAULT_MAX_METADATA_BYTES);
  }

  /**
   * Sets the target platform.
   *
   * @param platform the platform, or null for none
   * @return a copy with it
   */
  public ResolveOptions withTargetPlatform(@Nullable Platform platform) {
    return new ResolveOptions(platform, maxMetadataBytes);
  }

  /**
   * Sets the metadata limit.
   *
   * @param value bytes, positive
   * @return a copy with it
   */
  public ResolveOptions withMaxMetadataBytes(long value) {
    return new ResolveOptions(targetPlatform, value);
  }
}
