package dev.stevedore.content.file;

import dev.stevedore.content.Contents;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link FileStore} behaves. Immutable; start from {@link #defaults()} or {@link #builder()}.
 * The switches have the meaning of the fields of the same name on oras-go's {@code file.Store}.
 *
 * <p>Defaults: every switch off, fallback push limit 4 MiB, metadata limit 4 MiB, temporary files
 * in the system's temporary directory.
 *
 * @param tarReproducible when true, directories added with {@link FileStore#add} are packed with
 *     every time stamp zeroed, so the same tree gives the same digest whenever and wherever it is
 *     packed. Entries are always sorted and always carry uid/gid 0 and no user or group names.
 *     Default false.
 * @param allowPathTraversalOnWrite when true, a pushed blob's title may name a path outside the
 *     working directory ({@code ../x}, {@code /abs/x}) and symbolic links on the way are followed.
 *     Default false: such titles are refused with {@link FileStoreException.Reason#PATH_TRAVERSAL}.
 * @param disableOverwrite when true, a push whose title names a file or directory that already
 *     exists is refused with {@link FileStoreException.Reason#OVERWRITE_DISALLOWED}. Default false:
 *     existing files are replaced, existing directories are merged into.
 * @param forceCas when true, content is deduplicated strictly by digest: after a manifest is
 *     pushed, named layers whose content arrived under another name are <em>not</em> restored as
 *     files of their own. Default false (the restored copies are written).
 * @param ignoreNoName when true, pushed blobs without a title (manifests, configs) are discarded
 *     instead of kept in the fallback storage. Default false.
 * @param skipUnpack when true, directory blobs (annotated {@code io.deis.oras.content.unpack}) are
 *     written as their tar+gzip file instead of being unpacked. Default false.
 * @param fallbackPushSizeLimit the largest blob without a title, in bytes, that the default
 *     in-memory fallback storage accepts (oras-go's {@code NewWithFallbackLimit}); it does not
 *     apply to a fallback storage given to {@link FileStore#open(java.nio.file.Path,
 *     FileStoreOptions, dev.stevedore.content.Storage)}. Default 4 MiB.
 * @param maxMetadataBytes the largest manifest, in bytes, that is read to index its successors (for
 *     {@link FileStore#predecessors}); larger ones are stored but not indexed. Default 4 MiB.
 * @param temporaryDirectory where the store makes its private temporary directory, which holds
 *     packed directories and received directory blobs until the store is closed; null for the
 *     system's ({@code java.io.tmpdir}). Default null. Partial files and unpack staging directories
 *     are always made beside their target, so that they can be moved into place.
 * @param maxUnpackedBytes the most a directory blob may decompress to, in bytes: unpacking stops
 *     past it with {@link FileStoreException.Reason#UNPACK_LIMIT_EXCEEDED} and leaves nothing.
 *     Default 16 GiB.
 * @param maxUnpackRatio the most a directory blob may decompress to, as a multiple of its
 *     compressed size (the smaller of both limits applies). Default 1,000.
 */
public record FileStoreOptions(
    boolean tarReproducible,
    boolean allowPathTraversalOnWrite,
    boolean disableOverwrite,
    boolean forceCas,
    boolean ignoreNoName,
    boolean skipUnpack,
    long fallbackPushSizeLimit,
    long maxMetadataBytes,
    @Nullable Path temporaryDirectory,
    long maxUnpackedBytes,
    long maxUnpackRatio) {

  /** The default fallback push limit: 4 MiB, as oras-go. */
  public static final long DEFAULT_FALLBACK_PUSH_SIZE_LIMIT = 4L * 1024 * 1024;

  /** The default cap on what a directory blob decompresses to: 16 GiB. */
  public static final long DEFAULT_MAX_UNPACKED_BYTES = 16L * 1024 * 1024 * 1024;

  /** The default cap on a directory blob's decompression ratio: 1,000. */
  public static final long DEFAULT_MAX_UNPACK_RATIO = 1000;

  /**
   * Validates the limits.
   *
   * @param tarReproducible see {@link #tarReproducible()}
   * @param allowPathTraversalOnWrite see {@link #allowPathTraversalOnWrite()}
   * @param disableOverwrite see {@link #disableOverwrite()}
   * @param forceCas see {@link #forceCas()}
   * @param ignoreNoName see {@link #ignoreNoName()}
   * @param skipUnpack see {@link #skipUnpack()}
   * @param fallbackPushSizeLimit see {@link #fallbackPushSizeLimit()}
   * @param maxMetadataBytes see {@link #maxMetadataBytes()}
   * @param temporaryDirectory see {@link #temporaryDirectory()}
   * @param maxUnpackedBytes see {@link #maxUnpackedBytes()}
   * @param maxUnpackRatio see {@link #maxUnpackRatio()}
   * @throws IllegalArgumentException if a limit is negative (fallback) or not positive (the others)
   */
  public FileStoreOptions {
    if (fallbackPushSizeLimit < 0) {
      throw new IllegalArgumentException(
          "fallbackPushSizeLimit must not be negative: " + fallbackPushSizeLimit);
    }
    if (maxMetadataBytes <= 0) {
      throw new IllegalArgumentException("maxMetadataBytes must be positive: " + maxMetadataBytes);
    }
    if (maxUnpackedBytes <= 0) {
      throw new IllegalArgumentException("maxUnpackedBytes must be positive: " + maxUnpackedBytes);
    }
    if (maxUnpackRatio <= 0) {
      throw new IllegalArgumentException("maxUnpackRatio must be positive: " + maxUnpackRatio);
    }
  }

  /**
   * The most a directory blob of a given compressed size may decompress to: the smaller of {@link
   * #maxUnpackedBytes()} and {@link #maxUnpackRatio()} times the size.
   *
   * @param compressedSize the blob's size
   * @return the limit in bytes
   */
  public long unpackLimit(long compressedSize) {
    long byRatio;
    try {
      byRatio = Math.multiplyExact(Math.max(compressedSize, 1), maxUnpackRatio);
    } catch (ArithmeticException e) {
      byRatio = Long.MAX_VALUE;
    }
    return Math.min(maxUnpackedBytes, byRatio);
  }

  /**
   * The defaults: every switch off, both metadata limits 4 MiB, unpacking capped at the smaller of
   * 16 GiB and 1,000 times the compressed size.
   *
   * @return the default options
   */
  public static FileStoreOptions defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options.
   *
   * @return a new builder with this object's values
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tarReproducible = tarReproducible;
    b.allowPathTraversalOnWrite = allowPathTraversalOnWrite;
    b.disableOverwrite = disableOverwrite;
    b.forceCas = forceCas;
    b.ignoreNoName = ignoreNoName;
    b.skipUnpack = skipUnpack;
    b.fallbackPushSizeLimit = fallbackPushSizeLimit;
    b.maxMetadataBytes = maxMetadataBytes;
    b.temporaryDirectory = temporaryDirectory;
    b.maxUnpackedBytes = maxUnpackedBytes;
    b.maxUnpackRatio = maxUnpackRatio;
    return b;
  }

  /** Builds {@link FileStoreOptions}. Not thread-safe; the options it builds are. */
  public static final class Builder {
    private boolean tarReproducible;
    private boolean allowPathTraversalOnWrite;
    private boolean disableOverwrite;
    private boolean forceCas;
    private boolean ignoreNoName;
    private boolean skipUnpack;
    private long fallbackPushSizeLimit = DEFAULT_FALLBACK_PUSH_SIZE_LIMIT;
    private long maxMetadataBytes = Contents.DEFAULT_MAX_METADATA_BYTES;
    private @Nullable Path temporaryDirectory;
    private long maxUnpackedBytes = DEFAULT_MAX_UNPACKED_BYTES;
    private long maxUnpackRatio = DEFAULT_MAX_UNPACK_RATIO;

    private Builder() {}

    /**
     * Sets {@link FileStoreOptions#maxUnpackedBytes()}.
     *
     * @param bytes the limit (default 16 GiB)
     * @return this builder
     */
    public Builder maxUnpackedBytes(long bytes) {
      this.maxUnpackedBytes = bytes;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#maxUnpackRatio()}.
     *
     * @param ratio the most uncompressed bytes per compressed byte (default 1,000)
     * @return this builder
     */
    public Builder maxUnpackRatio(long ratio) {
      this.maxUnpackRatio = ratio;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#tarReproducible()}.
     *
     * @param value the value (default false)
     * @return this builder
     */
    public Builder tarReproducible(boolean value) {
      this.tarReproducible = value;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#allowPathTraversalOnWrite()}.
     *
     * @param value the value (default false)
     * @return this builder
     */
    public Builder allowPathTraversalOnWrite(boolean value) {
      this.allowPathTraversalOnWrite = value;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#disableOverwrite()}.
     *
     * @param value the value (default false)
     * @return this builder
     */
    public Builder disableOverwrite(boolean value) {
      this.disableOverwrite = value;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#forceCas()}.
     *
     * @param value the value (default false)
     * @return this builder
     */
    public Builder forceCas(boolean value) {
      this.forceCas = value;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#ignoreNoName()}.
     *
     * @param value the value (default false)
     * @return this builder
     */
    public Builder ignoreNoName(boolean value) {
      this.ignoreNoName = value;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#skipUnpack()}.
     *
     * @param value the value (default false)
     * @return this builder
     */
    public Builder skipUnpack(boolean value) {
      this.skipUnpack = value;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#fallbackPushSizeLimit()}.
     *
     * @param bytes the limit (default 4 MiB)
     * @return this builder
     */
    public Builder fallbackPushSizeLimit(long bytes) {
      this.fallbackPushSizeLimit = bytes;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#maxMetadataBytes()}.
     *
     * @param bytes the limit (default 4 MiB)
     * @return this builder
     */
    public Builder maxMetadataBytes(long bytes) {
      this.maxMetadataBytes = bytes;
      return this;
    }

    /**
     * Sets {@link FileStoreOptions#temporaryDirectory()}.
     *
     * @param directory an existing directory, or null for the system's (default null)
     * @return this builder
     */
    public Builder temporaryDirectory(@Nullable Path directory) {
      this.temporaryDirectory = directory;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException if a limit is out of range
     */
    public FileStoreOptions build() {
      return new FileStoreOptions(
          tarReproducible,
          allowPathTraversalOnWrite,
          disableOverwrite,
          forceCas,
          ignoreNoName,
          skipUnpack,
          fallbackPushSizeLimit,
          maxMetadataBytes,
          temporaryDirectory,
          maxUnpackedBytes,
          maxUnpackRatio);
    }
  }
}
