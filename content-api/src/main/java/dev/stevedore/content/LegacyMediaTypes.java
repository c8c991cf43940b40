package dev.stevedore.content;

import java.util.Set;

/**
 * Media types older tools push that are neither OCI nor Docker schema 2 but still meet a client in
 * practice (Gardener's ociclient, for one, knows them): plain tar blobs and tar+gzip blobs.
 * Zstandard OCI layers and Docker schema-1 manifests are in {@link MediaTypes}.
 */
public final class LegacyMediaTypes {
  /** A tar archive. */
  public static final String TAR = "application/tar";

  /** A gzip-compressed tar archive. */
  public static final String TAR_GZIP = "application/tar+gzip";

  /** The legacy layer media types a client knows by default: {@link #TAR_GZIP} and {@link #TAR}. */
  public static final Set<String> DEFAULT_KNOWN = Set.of(TAR_GZIP, TAR);

  private LegacyMediaTypes() {}
}
