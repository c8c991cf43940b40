package dev.stevedore.content;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Media types of the OCI image-spec and of Docker's image formats, and the well-known empty JSON
 * descriptor.
 */
public final class MediaTypes {
  private MediaTypes() {}

  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** The deprecated OCI artifact manifest (image-spec 1.1 release candidates). */
  public static final String OCI_ARTIFACT_MANIFEST =
      "application/vnd.oci.artifact.manifest.v1+json";

  /** OCI image config. */
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

  /** The empty JSON blob {@code {}}, used as config and layer of artifacts. */
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  /** OCI layer, uncompressed tar. */
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";

  /** OCI layer, gzip-compressed tar. */
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  /** OCI layer, zstd-compressed tar. */
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

  /** OCI non-distributable layer, uncompressed (deprecated). */
  public static final String OCI_LAYER_NONDISTRIBUTABLE =
      "application/vnd.oci.image.layer.nondistributable.v1.tar";

  /** OCI non-distributable layer, gzip (deprecated). */
  public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

  /** OCI non-distributable layer, zstd (deprecated). */
  public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

  /** The OCI image layout's {@code index.json} has this type when written as an index. */
  public static final String OCI_LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";

  /** Docker image manifest, version 2 schema 2. */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** Docker manifest list (multi-platform). */
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** Docker image manifest, schema 1, unsigned (legacy). */
  public static final String DOCKER_MANIFEST_SCHEMA1 =
      "application/vnd.docker.distribution.manifest.v1+json";

  /** Docker image manifest, schema 1, signed (legacy). */
  public static final String DOCKER_MANIFEST_SCHEMA1_SIGNED =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /** Docker image config. */
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  /** Docker layer, gzip-compressed tar. */
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** Docker foreign layer (e.g. Windows base layers), never copied. */
  public static final String DOCKER_FOREIGN_LAYER =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  /** Config media type oras uses for version 1.0 manifests packed without an artifact type. */
  public static final String UNKNOWN_CONFIG = "application/vnd.unknown.config.v1+json";

  /** Default media type of a file pushed without one, as oras uses. */
  public static final String DEFAULT_LAYER = OCI_LAYER;

  /** Default media type of a generic binary blob. */
  public static final String OCTET_STREAM = "application/octet-stream";

  /** The bytes of the empty JSON object, {@code {}}. */
  private static final byte[] EMPTY_JSON_BYTES = {'{', '}'};

  /**
   * The descriptor of the empty JSON blob {@code {}}: media type {@link #OCI_EMPTY}, digest {@code
   * sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a}, size 2, data {@code
   * e30=}.
   */
  public static final Descriptor EMPTY_JSON =
      new Descriptor(
          OCI_EMPTY,
          Digest.sha256(EMPTY_JSON_BYTES),
          EMPTY_JSON_BYTES.length,
          List.of(),
          Map.of(),
          EMPTY_JSON_BYTES,
          null,
          null);

  private static final Set<String> MANIFEST_TYPES =
      Set.of(
          OCI_MANIFEST,
          OCI_INDEX,
          OCI_ARTIFACT_MANIFEST,
          DOCKER_MANIFEST,
          DOCKER_MANIFEST_LIST,
          DOCKER_MANIFEST_SCHEMA1,
          DOCKER_MANIFEST_SCHEMA1_SIGNED);

  private static final Set<String> NON_DISTRIBUTABLE =
      Set.of(
          DOCKER_FOREIGN_LAYER,
          OCI_LAYER_NONDISTRIBUTABLE,
          OCI_LAYER_NONDISTRIBUTABLE_GZIP,
          OCI_LAYER_NONDISTRIBUTABLE_ZSTD);

  /**
   * The bytes of the empty JSON blob.
   *
   * @return a fresh copy of {@code {}}
   */
  public static byte[] emptyJsonBytes() {
    return EMPTY_JSON_BYTES.clone();
  }

  /**
   * Tells whether a media type is a manifest or index type (one whose content names other content).
   *
   * @param mediaType the media type
   * @return true for OCI and Docker manifests and indexes
   */
  public static boolean isManifest(String mediaType) {
    return MANIFEST_TYPES.contains(mediaType);
  }

  /**
   * Tells whether a media type is an index (OCI index or Docker manifest list).
   *
   * @param mediaType the media type
   * @return true for indexes
   */
  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /**
   * Tells whether a layer must not be copied between registries (Docker foreign layers, OCI
   * non-distributable layers), as oras-go skips them.
   *
   * @param mediaType the media type
   * @return true when the blob is non-distributable
   */
  public static boolean isNonDistributable(String mediaType) {
    return NON_DISTRIBUTABLE.contains(mediaType);
  }
}
