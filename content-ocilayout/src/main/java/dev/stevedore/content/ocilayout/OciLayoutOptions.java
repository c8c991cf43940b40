package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Contents;

/**
 * Settings of an {@link OciLayoutStore}, immutable. Start from {@link #defaults()} and change
 * what you need with the {@code with…} methods:
 *
 * <pre>{@code
 * OciLayoutOptions options = OciLayoutOptions.defaults().withAutoSaveIndex(false);
 * }</pre>
 *
 * @param autoSaveIndex whether index.json is rewritten on every change (tag, untag, push of a
 *     manifest, delete); default true. When false, changes stay in memory until
 *     {@link OciLayoutStore#saveIndex()}, and are lost if it is never called.
 * @param verifyOnFetch whether fetched content is checked against its descriptor (size and
 *     digest) while it is read; default true. Turn it off only for layouts you trust, e.g. ones
 *     you just wrote: a corrupted blob is then served as it is.
 * @param maxMetadataBytes the largest manifest or index read into memory (to index the graph);
 *     default {@link Contents#DEFAULT_MAX_METADATA_BYTES} (4 MiB)
 * @param maxIndexBytes the largest index.json read; default 64 MiB
 */
public record OciLayoutOptions(boolean autoSaveIndex, boolean verifyOnFetch, long maxMetadataBytes,
    long maxIndexBytes) {

  private static final long DEFAULT_MAX_INDEX_BYTES = 64L * 1024 * 1024;

  /**
   * Validates the limits.
   *
   * @throws IllegalArgumentException if a limit is not positive
   */
  public OciLayoutOptions {
    if (maxMetadataBytes <= 0) {
      throw new IllegalArgumentException("maxMetadataBytes must be positive: " + maxMetadataBytes);
    }
    if (maxIndexBytes <= 0) {
      throw new IllegalArgumentException("maxIndexBytes must be positive: " + maxIndexBytes);
    }
  }

  /**
   * The defaults: auto-save on, verification on, 4 MiB metadata limit, 64 MiB index.json limit.
   *
   * @return the default options
   */
  public static OciLayoutOptions defaults() {
    return new OciLayoutOptions(true, true, Contents.DEFAULT_MAX_METADATA_BYTES, DEFAULT_MAX_INDEX_BYTES);
  }

  /**
   * A copy with auto-save of index.json on or off.
   *
   * @param autoSave true to write index.json on every change
   * @return the new options
   */
  public OciLayoutOptions withAutoSaveIndex(boolean autoSave) {
    return new OciLayoutOptions(autoSave, verifyOnFetch, maxMetadataBytes, maxIndexBytes);
  }

  /**
   * A copy with fetch verification on or off.
   *
   * @param verify true to verify what is fetched
   * @return the new options
   */
  public OciLayoutOptions withVerifyOnFetch(boolean verify) {
    return new OciLayoutOptions(autoSaveIndex, verify, maxMetadataBytes, maxIndexBytes);
  }

  /**
   * A copy with another metadata limit.
   *
   * @param maxBytes the largest manifest read into memory
   * @return the new options
   */
  public OciLayoutOptions withMaxMetadataBytes(long maxBytes) {
    return new OciLayoutOptions(autoSaveIndex, verifyOnFetch, maxBytes, maxIndexBytes);
  }

  /**
   * A copy with another index.json limit.
   *
   * @param maxBytes the largest index.json read
   * @return the new options
   */
  public OciLayoutOptions withMaxIndexBytes(long maxBytes) {
    return new OciLayoutOptions(autoSaveIndex, verifyOnFetch, maxMetadataBytes, maxBytes);
  }
}
