package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Contents;

/**
 * Settings of an {@link OciLayoutStore}, immutable. Start from {@link #defaults()} and change what
 * you need with the {@code with…} methods:
 *
 * <pre>{@code
 * OciLayoutOptions options = OciLayoutOptions.defaults().withAutoSaveIndex(false);
 * }</pre>
 *
 * @param autoSaveIndex whether index.json is rewritten on every change (tag, untag, push of a
 *     manifest, delete); default true. When false, changes stay in memory until {@link
 *     OciLayoutStore#saveIndex()}, and are lost if it is never called.
 * @param verifyOnFetch whether fetched content is checked against its descriptor (size and digest)
 *     while it is read; default true. Turn it off only for layouts you trust, e.g. ones you just
 *     wrote: a corrupted blob is then served as it is.
 * @param maxMetadataBytes the largest manifest or index read into memory (to index the graph);
 *     default {@link Contents#DEFAULT_MAX_METADATA_BYTES} (4 MiB)
 * @param maxIndexBytes the largest index.json read; default 64 MiB
 * @param autoGc whether {@link OciLayoutStore#delete} also removes what the deletion leaves
 *     dangling, as oras-go's {@code AutoGC}: the referrers of a deleted manifest (transitively) and
 *     the successors nothing else points at, except those a tag names or index.json lists; default
 *     false (only the target is deleted; {@link OciLayoutStore#gc()} collects the rest)
 * @param batchCheckpoint in a {@linkplain OciLayoutStore#batch() batch}, how many changes (index
 *     changes and blobs pushed) make a checkpoint: index.json written and blobs flushed; bounds
 *     what a crash can lose and what the batch holds in memory; default 1,000
 */
public record OciLayoutOptions(
    boolean autoSaveIndex,
    boolean verifyOnFetch,
    long maxMetadataBytes,
    long maxIndexBytes,
    boolean autoGc,
    int batchCheckpoint) {

  private static final long DEFAULT_MAX_INDEX_BYTES = 64L * 1024 * 1024;
  private static final int DEFAULT_BATCH_CHECKPOINT = 1000;

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
    if (batchCheckpoint <= 0) {
      throw new IllegalArgumentException("batchCheckpoint must be positive: " + batchCheckpoint);
    }
  }

  /**
   * The defaults: auto-save on, verification on, 4 MiB metadata limit, 64 MiB index.json limit,
   * auto-GC off, a batch checkpoint every 1,000 changes.
   *
   * @return the default options
   */
  public static OciLayoutOptions defaults() {
    return new OciLayoutOptions(
        true,
        true,
        Contents.DEFAULT_MAX_METADATA_BYTES,
        DEFAULT_MAX_INDEX_BYTES,
        false,
        DEFAULT_BATCH_CHECKPOINT);
  }

  /**
   * A copy with auto-save of index.json on or off.
   *
   * @param autoSave true to write index.json on every change
   * @return the new options
   */
  public OciLayoutOptions withAutoSaveIndex(boolean autoSave) {
    return new OciLayoutOptions(
        autoSave, verifyOnFetch, maxMetadataBytes, maxIndexBytes, autoGc, batchCheckpoint);
  }

  /**
   * A copy with fetch verification on or off.
   *
   * @param verify true to verify what is fetched
   * @return the new options
   */
  public OciLayoutOptions withVerifyOnFetch(boolean verify) {
    return new OciLayoutOptions(
        autoSaveIndex, verify, maxMetadataBytes, maxIndexBytes, autoGc, batchCheckpoint);
  }

  /**
   * A copy with another metadata limit.
   *
   * @param maxBytes the largest manifest read into memory
   * @return the new options
   */
  public OciLayoutOptions withMaxMetadataBytes(long maxBytes) {
    return new OciLayoutOptions(
        autoSaveIndex, verifyOnFetch, maxBytes, maxIndexBytes, autoGc, batchCheckpoint);
  }

  /**
   * A copy with another index.json limit.
   *
   * @param maxBytes the largest index.json read
   * @return the new options
   */
  public OciLayoutOptions withMaxIndexBytes(long maxBytes) {
    return new OciLayoutOptions(
        autoSaveIndex, verifyOnFetch, maxMetadataBytes, maxBytes, autoGc, batchCheckpoint);
  }

  /**
   * A copy with auto-GC on delete on or off (see {@link #autoGc()}).
   *
   * @param on true to remove what a delete leaves dangling
   * @return the new options
   */
  public OciLayoutOptions withAutoGc(boolean on) {
    return new OciLayoutOptions(
        autoSaveIndex, verifyOnFetch, maxMetadataBytes, maxIndexBytes, on, batchCheckpoint);
  }

  /**
   * A copy with another batch checkpoint interval (see {@link #batchCheckpoint()}).
   *
   * @param changes changes between checkpoints, positive
   * @return the new options
   */
  public OciLayoutOptions withBatchCheckpoint(int changes) {
    return new OciLayoutOptions(
        autoSaveIndex, verifyOnFetch, maxMetadataBytes, maxIndexBytes, autoGc, changes);
  }
}
