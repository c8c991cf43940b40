package dev.stevedore.content;

/** Well-known annotation keys of the OCI image-spec and of oras. */
public final class Annotations {
  private Annotations() {}

  /** Creation time, RFC 3339. */
  public static final String CREATED = "org.opencontainers.image.created";

  /** Human-readable title; the file name of a blob in oras' file store. */
  public static final String TITLE = "org.opencontainers.image.title";

  /** The name of a reference, in an OCI layout's index.json (the tag). */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** Authors. */
  public static final String AUTHORS = "org.opencontainers.image.authors";

  /** URL to find more information. */
  public static final String URL = "org.opencontainers.image.url";

  /** URL to the source. */
  public static final String SOURCE = "org.opencontainers.image.source";

  /** Version of the packaged software. */
  public static final String VERSION = "org.opencontainers.image.version";

  /** Source control revision. */
  public static final String REVISION = "org.opencontainers.image.revision";

  /** Vendor. */
  public static final String VENDOR = "org.opencontainers.image.vendor";

  /** License (SPDX expression). */
  public static final String LICENSES = "org.opencontainers.image.licenses";

  /** Description. */
  public static final String DESCRIPTION = "org.opencontainers.image.description";

  /** oras: digest of the uncompressed tar of a directory blob. */
  public static final String ORAS_CONTENT_DIGEST = "io.deis.oras.content.digest";

  /** oras: {@code "true"} when a directory blob is to be unpacked on pull. */
  public static final String ORAS_CONTENT_UNPACK = "io.deis.oras.content.unpack";
}
