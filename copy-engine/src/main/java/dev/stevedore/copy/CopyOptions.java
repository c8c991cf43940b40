package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Platform;
import dev.stevedore.content.Platforms;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@link Copy#copy}: the graph options plus a root mapping. Immutable; start from {@link
 * #defaults()}.
 *
 * <p>Defaults: {@link CopyGraphOptions#defaults()}, no root mapping (the resolved root is copied).
 */
public final class CopyOptions {
  private static final CopyOptions DEFAULTS = new CopyOptions(CopyGraphOptions.defaults(), null);

  private final CopyGraphOptions graphOptions;
  private final @Nullable RootMapper mapRoot;

  private CopyOptions(CopyGraphOptions graphOptions, @Nullable RootMapper mapRoot) {
    this.graphOptions = graphOptions;
    this.mapRoot = mapRoot;
  }

  /**
   * The default options.
   *
   * @return the defaults
   */
  public static CopyOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The options of the graph copy.
   *
   * @return the graph options; default {@link CopyGraphOptions#defaults()}
   */
  public CopyGraphOptions graphOptions() {
    return graphOptions;
  }

  /**
   * Sets the graph options.
   *
   * @param value the graph options
   * @return a copy with them
   */
  public CopyOptions withGraphOptions(CopyGraphOptions value) {
    return new CopyOptions(Objects.requireNonNull(value, "graphOptions"), mapRoot);
  }

  /**
   * The root mapping.
   *
   * @return the mapper, or null (default: none)
   */
  public @Nullable RootMapper mapRoot() {
    return mapRoot;
  }

  /**
   * Sets the root mapping, replacing any (including a platform selection).
   *
   * @param value the mapper, or null for none
   * @return a copy with it
   */
  public CopyOptions withMapRoot(@Nullable RootMapper value) {
    return new CopyOptions(graphOptions, value);
  }

  /**
   * Selects a platform, as oras-go's {@code WithTargetPlatform}: applied after the current root
   * mapping, if any. From an index, the first manifest whose platform matches is copied; a manifest
   * is copied when its config's platform matches; otherwise the copy fails with {@link
   * dev.stevedore.content.NotFoundException}, and with {@link
   * dev.stevedore.content.UnsupportedContentException} for a root of any other media type (see
   * {@link Platforms#select}).
   *
   * @param platform the platform, or null to leave the options unchanged
   * @return a copy that selects the platform
   */
  public CopyOptions withTargetPlatform(@Nullable Platform platform) {
    if (platform == null) {
      return this;
    }
    RootMapper previous = mapRoot;
    // The source handed to a mapper enforces the copy's metadata limit itself.
    RootMapper select =
        (source, root) -> {
          Descriptor mapped = previous == null ? root : previous.map(source, root);
          return Platforms.select(source, mapped, platform, Long.MAX_VALUE);
        };
    return new CopyOptions(graphOptions, select);
  }
}
