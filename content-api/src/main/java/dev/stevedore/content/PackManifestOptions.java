package dev.stevedore.content;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Packer#packManifest} packs besides the artifact type. Immutable; start from {@link
 * #defaults()} and use the {@code with...} methods.
 *
 * @param subject the manifest the packed one refers to (1.1 only), or null
 * @param layers the layers, possibly empty
 * @param manifestAnnotations annotations of the manifest; {@code org.opencontainers.image.created}
 *     is added (now, RFC 3339 UTC, seconds) unless present, and must be RFC 3339 when present
 * @param config a config descriptor (already pushed), or null for the empty config
 * @param configAnnotations annotations of the generated empty config (ignored when {@code config}
 *     is given)
 */
public record PackManifestOptions(
    @Nullable Descriptor subject,
    List<Descriptor> layers,
    Map<String, String> manifestAnnotations,
    @Nullable Descriptor config,
    Map<String, String> configAnnotations) {

  /** Copies the collections. */
  public PackManifestOptions {
    layers = layers == null ? List.of() : List.copyOf(layers);
    manifestAnnotations = manifestAnnotations == null ? Map.of() : Map.copyOf(manifestAnnotations);
    configAnnotations = configAnnotations == null ? Map.of() : Map.copyOf(configAnnotations);
  }

  /**
   * No subject, no layers, no annotations, the empty config.
   *
   * @return the defaults
   */
  public static PackManifestOptions defaults() {
    return new PackManifestOptions(null, List.of(), Map.of(), null, Map.of());
  }

  /**
   * With a subject.
   *
   * @param newSubject the subject, or null
   * @return a copy
   */
  public PackManifestOptions withSubject(@Nullable Descriptor newSubject) {
    return new PackManifestOptions(
        newSubject, layers, manifestAnnotations, config, configAnnotations);
  }

  /**
   * With layers.
   *
   * @param newLayers the layers
   * @return a copy
   */
  public PackManifestOptions withLayers(List<Descriptor> newLayers) {
    return new PackManifestOptions(
        subject, newLayers, manifestAnnotations, config, configAnnotations);
  }

  /**
   * With manifest annotations.
   *
   * @param annotations the annotations
   * @return a copy
   */
  public PackManifestOptions withManifestAnnotations(Map<String, String> annotations) {
    return new PackManifestOptions(subject, layers, annotations, config, configAnnotations);
  }

  /**
   * With a config descriptor (its blob must already be pushed).
   *
   * @param newConfig the config, or null for the empty config
   * @return a copy
   */
  public PackManifestOptions withConfig(@Nullable Descriptor newConfig) {
    return new PackManifestOptions(
        subject, layers, manifestAnnotations, newConfig, configAnnotations);
  }

  /**
   * With annotations of the generated empty config.
   *
   * @param annotations the annotations
   * @return a copy
   */
  public PackManifestOptions withConfigAnnotations(Map<String, String> annotations) {
    return new PackManifestOptions(subject, layers, manifestAnnotations, config, annotations);
  }
}
