package dev.stevedore.content;

/** Which image-spec version {@link Packer#packManifest} follows. */
public enum PackManifestVersion {
  /**
   * Image-spec 1.0: the artifact type becomes the media type of an empty {@code {}} config ({@code
   * application/vnd.unknown.config.v1+json} when none); no subject; no artifactType field.
   */
  V1_0,
  /**
   * Image-spec 1.1: {@code artifactType} is written; the config is the empty descriptor unless one
   * is given; a manifest with no layers gets the empty descriptor as its single layer.
   */
  V1_1
}
