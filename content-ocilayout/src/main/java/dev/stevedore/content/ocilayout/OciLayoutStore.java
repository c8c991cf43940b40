package dev.stevedore.content.ocilayout;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.PageConsumer;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.Successors;
import dev.stevedore.content.TagLister;
import dev.stevedore.content.Untagger;
import dev.stevedore.content.VerifyingInputStream;
import dev.stevedore.content.internal.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A content store over a directory in the OCI image layout (image-spec v1.1): {@code oci-layout},
 * {@code index.json} and {@code blobs/<algorithm>/<encoded>}, the format skopeo ({@code oci:dir}),
 * umoci, oras and buildkit read and write. A {@link GraphTarget} with {@link Deleter}, {@link
 * Untagger} and {@link TagLister}.
 *
 * <pre>{@code
 * OciLayoutStore layout = OciLayoutStore.open(Path.of("build/oci"));
 * layout.push(desc, content);          // verified, then atomically moved into blobs/
 * layout.tag(desc, "v1");              // index.json rewritten atomically
 * Descriptor d = layout.resolve("v1");
 * }</pre>
 *
 * <p><b>Pushes</b> stream into a temporary file under {@code ingest/} that is checked (size, then
 * digest) and flushed to disk before it is renamed to its blob path: a failed, interrupted or
 * killed push leaves no blob, and its temporary file is removed (by the push, or, after a crash, by
 * the next {@code open} or {@link #gc()}). Content up to 64 KiB is read and verified in memory
 * first, then written and renamed in one go. The same content pushed twice, even at once, is stored
 * once; a push of content already present throws {@link AlreadyExistsException}.
 *
 * <p><b>index.json</b> holds the tags, as oras-go writes them: each tag is an entry annotated with
 * {@code org.opencontainers.image.ref.name}, tagging replaces the entry of that name, and every
 * manifest or index pushed is listed as well (without a name), so that its graph, and the referrers
 * of what it points at, are found again when the layout is reopened. By default every change
 * rewrites index.json atomically (temporary file, fsync, rename) under a file lock, after
 * re-reading it, so two processes writing one layout do not lose each other's tags; with {@link
 * OciLayoutOptions#withAutoSaveIndex(boolean) auto-save off}, changes are kept in memory until
 * {@link #saveIndex()}. A {@linkplain #batch() batch} (around a copy of many manifests) defers both
 * the index.json writes and the flushing of blobs to checkpoints and its close. Moving a tag to
 * another manifest keeps the manifest it named listed, untagged. Reads notice when another process
 * has replaced index.json and reload it.
 *
 * <p><b>Fetches</b> are verified while they are read ({@link DigestMismatchException} for a blob
 * corrupted on disk) unless {@link OciLayoutOptions#withVerifyOnFetch(boolean) turned off}. {@link
 * #predecessors} knows every manifest and index pushed or reachable from index.json.
 *
 * <p>Thread-safe. {@link #delete} and {@link #gc()} exclude other calls of this store; everything
 * else runs concurrently. Holds no open files between calls, so there is nothing to close.
 */
public final class OciLayoutStore implements GraphTarget, Deleter, Untagger, TagLister {
  private static final System.Logger LOG = System.getLogger(OciLayoutStore.class.getName());

  private final Path root;
  private final Path indexFile;
  private final Path ingestDir;
  private final OciLayoutOptions options;
  private final LayoutLock layoutLock;
  private final GraphWalker walker;

  /** Shared by pushes, tags and reads; exclusive for delete and gc. */
  private final ReentrantReadWriteLock contentLock = new ReentrantReadWriteLock();

  /**
   * Guards {@link #index}, {@link #pending}, {@link #stamp} and {@link #onDisk}. Taken after the
   * layout lock, never before it.
   */
  private final Object monitor = new Object();

  private IndexEditor index = IndexEditor.of(IndexDocument.empty());

  /**
   * Changes not yet saved (auto-save off, or a batch open), replayed onto the file's content when
   * saving.
   */
  private final List<IndexChange> pending = new ArrayList<>();

  /**
   * Open {@link IndexBatch batches}; while there are any, index.json and blob syncs are deferred.
   */
  private int openBatches;

  /** Whether a thread is writing a batch checkpoint (see {@link #claimCheckpoint()}). */
  private boolean checkpointing;

  /** Blob files committed in a batch and not yet flushed to disk, in commit order. */
  private final List<Path> unsynced = new ArrayList<>();

  private @Nullable FileStamp stamp;

  /** index.json as last read under the layout lock, to skip writes that change nothing. */
  private IndexDocument onDisk = IndexDocument.empty();

  private record FileStamp(@Nullable Object fileKey, long size, FileTime modified) {
    // written out: a record's generated equals is bootstrapped through method handles on first
    // use (classes spun at start-up of every layout command)
    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof FileStamp s
          && java.util.Objects.equals(fileKey, s.fileKey)
          && size == s.size
          && modified.equals(s.modified);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(fileKey, size, modified);
    }
  }

  private OciLayoutStore(Path root, OciLayoutOptions options) {
    this.root = root;
    this.indexFile = root.resolve(LayoutFiles.INDEX_FILE);
    this.ingestDir = root.resolve(LayoutFiles.INGEST_DIR);
    this.options = options;
    this.layoutLock = new LayoutLock(root);
    this.walker = new GraphWalker(this::fetchForWalk, options.maxMetadataBytes(), root.toString());
  }

  /**
   * Opens the layout in a directory with the {@linkplain OciLayoutOptions#defaults() default
   * options}, creating it when the directory is missing or empty.
   *
   * @param directory the layout's root
   * @return the store
   * @throws dev.stevedore.content.UnsupportedContentException if {@code oci-layout} names a version
   *     other than 1.0.0
   * @throws InvalidDescriptorException if {@code oci-layout} or {@code index.json} is not valid
   *     (the message names the file)
   * @throws ContentException if the directory holds other files but no {@code oci-layout}
   * @throws IOException if the directory cannot be read or created
   */
  public static OciLayoutStore open(Path directory) throws IOException {
    return open(directory, OciLayoutOptions.defaults());
  }

  /**
   * Opens the layout in a directory, creating it when the directory is missing or empty. Reads
   * index.json; the graph below it is indexed (every manifest and index reachable read once) on the
   * first call that needs it ({@link #predecessors}, a {@link #resolve} of a digest index.json does
   * not list, {@link #delete}, {@link #gc()}, an export, or a push), not on open.
   *
   * @param directory the layout's root
   * @param options the settings
   * @return the store
   * @throws dev.stevedore.content.UnsupportedContentException if {@code oci-layout} names a version
   *     other than 1.0.0
   * @throws InvalidDescriptorException if {@code oci-layout} or {@code index.json} is not valid
   *     (the message names the file)
   * @throws ContentException if the directory holds other files but no {@code oci-layout}
   * @throws IOException if the directory cannot be read or created
   */
  public static OciLayoutStore open(Path directory, OciLayoutOptions options) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(options, "options");
    Path root = directory.toAbsolutePath().normalize();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new ContentException(
          root
              + ": not a directory; an OCI layout is a directory"
              + " (use openArchive for a layout packed as a tar file)");
    }
    Files.createDirectories(root);
    root = root.toRealPath();
    OciLayoutStore store = new OciLayoutStore(root, options);
    store.initialize();
    return store;
  }

  /**
   * Opens an OCI layout packed as a tar archive (as {@code skopeo copy ... oci-archive:x.tar}
   * writes it), read-only, without extracting it: blobs are read in place from the tar file.
   *
   * @param archive the tar file
   * @return the read-only store; close it to release the file
   * @throws ContentException if the file is not a tar archive, holds an entry with an absolute path
   *     or a {@code ..} component, or is not a valid layout
   * @throws IOException if the file cannot be read
   */
  public static OciLayoutArchive openArchive(Path archive) throws IOException {
    return OciLayoutArchive.open(archive, OciLayoutOptions.defaults());
  }

  /**
   * Opens an OCI layout packed as a tar archive, read-only, with options (only the verification and
   * limits apply).
   *
   * @param archive the tar file
   * @param options the settings
   * @return the read-only store; close it to release the file
   * @throws ContentException if the file is not a tar archive, holds an entry with an absolute path
   *     or a {@code ..} component, or is not a valid layout
   * @throws IOException if the file cannot be read
   */
  public static OciLayoutArchive openArchive(Path archive, OciLayoutOptions options)
      throws IOException {
    return OciLayoutArchive.open(archive, options);
  }

  /**
   * The layout's root directory.
   *
   * @return the absolute, real path
   */
  public Path root() {
    return root;
  }

  /**
   * The settings of this store.
   *
   * @return the options
   */
  public OciLayoutOptions options() {
    return options;
  }

  private void initialize() throws IOException {
    Path layoutFile = root.resolve(LayoutFiles.LAYOUT_FILE);
    if (!Files.exists(layoutFile)) {
      requireEmptyForCreation();
      layoutLock.lockedRun(
          () -> {
            if (!Files.exists(layoutFile)) {
              Files.createDirectories(root.resolve(LayoutFiles.BLOBS_DIR));
              if (!Files.exists(indexFile)) {
                LayoutFiles.writeAtomically(indexFile, IndexDocument.empty().toJson());
              }
              LayoutFiles.writeAtomically(layoutFile, LayoutFiles.layoutFileBytes());
              LOG.log(System.Logger.Level.DEBUG, () -> "created OCI layout " + root);
            }
          });
    }
    byte[] layoutBytes;
    try {
      layoutBytes = LayoutFiles.readSmallFile(layoutFile, LayoutFiles.MAX_LAYOUT_FILE_BYTES);
    } catch (ContentException e) {
      throw new InvalidDescriptorException(layoutFile + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException(layoutFile + ": cannot read: " + e.getMessage(), e);
    }
    LayoutFiles.checkLayoutFile(layoutBytes, layoutFile.toString());
    Files.createDirectories(root.resolve(LayoutFiles.BLOBS_DIR));
    if (!Files.exists(indexFile)) {
      layoutLock.lockedRun(
          () -> {
            if (!Files.exists(indexFile)) {
              LayoutFiles.writeAtomically(indexFile, IndexDocument.empty().toJson());
            }
          });
    }
    synchronized (monitor) {
      FileStamp current = stampOf(indexFile);
      onDisk = readIndexFile();
      index = IndexEditor.of(onDisk);
      stamp = current;
    }
    removeAbandonedFiles();
    walker.walk(currentIndex().entries());
  }

  private void requireEmptyForCreation() throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      List<String> others =
          entries
              .map(p -> p.getFileName().toString())
              .filter(
                  name ->
                      !name.equals(LayoutFiles.LOCK_FILE)
                          && !name.equals(LayoutFiles.INDEX_FILE)
                          && !name.equals(LayoutFiles.BLOBS_DIR)
                          && !name.equals(LayoutFiles.INGEST_DIR)
                          && !LayoutFiles.isTempFileOf(name, LayoutFiles.INDEX_FILE)
                          && !LayoutFiles.isTempFileOf(name, LayoutFiles.LAYOUT_FILE))
              .sorted()
              .limit(3)
              .toList();
      if (!others.isEmpty()) {
        throw new ContentException(
            root.resolve(LayoutFiles.LAYOUT_FILE)
                + ": missing, and the directory holds "
                + others
                + (others.size() == 3 ? " and more" : "")
                + ": not an OCI image layout; "
                + "open an empty or missing directory to create a layout");
      }
    }
    // index.json without oci-layout: only an empty one (as a creator that died mid-way leaves it)
    // is completed; one that lists manifests is a layout whose oci-layout file was lost.
    if (Files.exists(indexFile)) {
      IndexDocument found = readIndexFile();
      if (!found.entries().isEmpty()) {
        throw new ContentException(
            root.resolve(LayoutFiles.LAYOUT_FILE)
                + ": missing, but index.json lists "
                + found.entries().size()
                + " manifests: restore the oci-layout file ({\"imageLayoutVersion\":\"1.0.0\"})");
      }
    }
  }

  // ---------------------------------------------------------------- storage

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    InputStream raw = openBlob(target);
    return options.verifyOnFetch() ? new VerifyingInputStream(raw, target) : raw;
  }

  /** Opens a blob, checking its size against the descriptor first. */
  private InputStream openBlob(Descriptor target) throws IOException {
    Path blob = LayoutFiles.blobPath(root, target.digest());
    InputStream in;
    try {
      in = Files.newInputStream(blob);
    } catch (NoSuchFileException e) {
      throw notFound(target);
    }
    long size;
    try {
      size = Files.size(blob);
    } catch (IOException e) {
      in.close();
      throw e;
    }
    if (size != target.size()) {
      in.close();
      throw new DigestMismatchException(
          target.digest()
              + ": blob file "
              + blob
              + " has "
              + size
              + " bytes, its descriptor says "
              + target.size()
              + "; either the descriptor is wrong or the blob is corrupt (then delete it and push it again)",
          target.digest(),
          null);
    }
    return in;
  }

  private InputStream fetchForWalk(Descriptor target) throws IOException {
    return openBlob(target); // the walk reads through Contents, which verifies
  }

  @Override
  public boolean exists(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    return isPresent(LayoutFiles.blobPath(root, target.digest()), target.size());
  }

  private static boolean isPresent(Path blob, long size) throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(blob, BasicFileAttributes.class);
      return attributes.isRegularFile() && attributes.size() == size;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public void push(Descriptor expected, InputStream content) throws IOException {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(content, "content");
    Path blob = LayoutFiles.blobPath(root, expected.digest());
    contentLock.readLock().lock();
    try {
      if (isPresent(blob, expected.size())) {
        throw alreadyExists(expected);
      }
      // In a batch the blob is flushed to disk at the next checkpoint, before index.json names it.
      boolean deferSync = batching();
      try {
        if (expected.size() <= SMALL_BLOB_BYTES) {
          pushSmall(expected, content, blob, deferSync);
        } else {
          pushStreamed(expected, content, blob, deferSync);
        }
      } catch (IOException | RuntimeException e) {
        if (!isPresent(blob, expected.size())) {
          walker.forget(expected);
        }
        throw e;
      }
      if (deferSync) {
        committedUnsynced(blob);
      }
      if (MediaTypes.isManifest(expected.mediaType())) {
        updateIndex(new IndexChange.List(expected));
      }
    } finally {
      contentLock.readLock().unlock();
    }
  }

  /**
   * Stores a blob that another layout holds by a hard link to that layout's file: no byte is
   * copied, written or hashed again. This is a registry's cross-repository mount for layouts on one
   * file system ({@code stevedore serve} answers {@code ?mount=&from=} with it). The two layouts
   * then share one file: deleting the blob from one (or collecting it) leaves the other's, and a
   * layout never writes a blob file in place, so neither can change the other's content. Where the
   * file system cannot link (the layouts are on different file systems, or it has no hard links),
   * the blob is copied as {@link #push} copies it: verified, then flushed.
   *
   * <p>The source's file is taken as it is, as a registry's mount takes it: its size must match the
   * descriptor, its digest is not computed again (a fetch from either layout verifies it, unless
   * {@link OciLayoutOptions#verifyOnFetch()} is off). Only a blob that has no successors can be
   * linked: a manifest or an index is pushed, so that this layout knows its graph.
   *
   * @param source the layout that holds the blob
   * @param desc the blob
   * @throws AlreadyExistsException if this layout already holds the blob
   * @throws NotFoundException if the source does not hold it
   * @throws DigestMismatchException if the source's file does not have the descriptor's size
   * @throws IllegalArgumentException if the descriptor names a manifest or an index
   * @throws IOException if the file cannot be linked, copied or flushed
   */
  public void link(OciLayoutStore source, Descriptor desc) throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(desc, "desc");
    if (Successors.mayHaveSuccessors(desc.mediaType())) {
      throw new IllegalArgumentException(
          desc.digest()
              + ": "
              + desc.mediaType()
              + " may have successors; push it instead of linking it");
    }
    Path from = LayoutFiles.blobPath(source.root, desc.digest());
    if (!isPresent(from, desc.size())) {
      source.openBlob(desc).close(); // names what is wrong: no such blob, or another size
    }
    Path blob = LayoutFiles.blobPath(root, desc.digest());
    contentLock.readLock().lock();
    try {
      if (isPresent(blob, desc.size())) {
        throw alreadyExists(desc);
      }
      boolean deferSync = batching();
      Path dir = LayoutFiles.parent(blob);
      Files.createDirectories(dir);
      try {
        Files.createLink(blob, from);
      } catch (FileAlreadyExistsException e) {
        // A concurrent push stored it first (or a stray file is in the way: push replaces it)
        if (isPresent(blob, desc.size())) {
          throw alreadyExists(desc);
        }
        copyFrom(source, desc);
        return;
      } catch (IOException | UnsupportedOperationException e) {
        // another file system (EXDEV), or one without hard links
        copyFrom(source, desc);
        return;
      }
      walker.record(desc, List.of());
      if (deferSync) {
        committedUnsynced(blob);
      } else {
        // the source flushed its file when it stored it, unless a batch of its own deferred that
        BlobSync.sync(blob);
        LayoutFiles.syncDirectory(dir);
      }
    } finally {
      contentLock.readLock().unlock();
    }
  }

  private static AlreadyExistsException alreadyExists(Descriptor desc) {
    return new AlreadyExistsException(desc.digest() + ": " + desc.mediaType() + ": already exists");
  }

  private void copyFrom(OciLayoutStore source, Descriptor desc) throws IOException {
    try (InputStream in = source.fetch(desc)) {
      push(desc, in);
    }
  }

  /**
   * Content up to this size is read whole and verified in memory before any file is created, then
   * written in one call (see {@link Ingestion#commitSmall}): no lock, no reading a manifest back.
   */
  static final int SMALL_BLOB_BYTES = 64 * 1024;

  private void pushSmall(Descriptor expected, InputStream content, Path blob, boolean deferSync)
      throws IOException {
    InputStream in = VerifyingInputStream.wrap(content, expected);
    byte[] bytes = in.readNBytes((int) expected.size());
    if (in.read() >= 0) { // a verifying stream checks size and digest when it reaches the end
      throw new SizeLimitExceededException(
          expected.digest()
              + ": content is longer than the "
              + expected.size()
              + " bytes its descriptor declares; nothing was stored",
          expected.size());
    }
    if (bytes.length != expected.size()) {
      throw new DigestMismatchException(
          expected.digest()
              + ": content ended after "
              + bytes.length
              + " of "
              + expected.size()
              + " bytes (truncated stream); nothing was stored, retry the transfer",
          expected.digest(),
          null);
    }
    if (Thread.interrupted()) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "push of " + expected.digest() + " interrupted; nothing was stored");
    }
    List<Descriptor> successors = List.of();
    if (Successors.mayHaveSuccessors(expected.mediaType()) && !overMetadataLimit(expected)) {
      successors = Successors.parse(expected, bytes);
    }
    // Record the edges before the manifest becomes visible, so a visible manifest always has its
    // predecessor edges known.
    walker.record(expected, successors);
    Ingestion.commitSmall(ingestDir, expected, bytes, blob, !deferSync);
  }

  private void pushStreamed(Descriptor expected, InputStream content, Path blob, boolean deferSync)
      throws IOException {
    try (Ingestion ingestion = Ingestion.start(ingestDir, expected)) {
      ingestion.write(expected, content, !deferSync);
      List<Descriptor> successors = List.of();
      if (Successors.mayHaveSuccessors(expected.mediaType())) {
        successors = successorsOf(expected, ingestion.temp());
      }
      // Record the edges before the manifest becomes visible, so a visible manifest always has
      // its predecessor edges known.
      walker.record(expected, successors);
      ingestion.commit(blob, !deferSync);
    }
  }

  private List<Descriptor> successorsOf(Descriptor desc, Path file) throws IOException {
    if (overMetadataLimit(desc)) {
      return List.of();
    }
    return Successors.parse(desc, LayoutFiles.readSmallFile(file, options.maxMetadataBytes()));
  }

  /** Whether a manifest is too large to index (logged). */
  private boolean overMetadataLimit(Descriptor desc) {
    if (desc.size() > options.maxMetadataBytes()) {
      LOG.log(
          System.Logger.Level.WARNING,
          () ->
              desc.digest()
                  + ": "
                  + desc.mediaType()
                  + " of "
                  + desc.size()
                  + " bytes exceeds the metadata limit; its successors are not indexed");
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- references

  @Override
  public Descriptor resolve(String reference) throws IOException {
    Objects.requireNonNull(reference, "reference");
    if (reference.isEmpty()) {
      throw new InvalidReferenceException("empty reference: give a tag or a digest");
    }
    refreshIfChanged();
    Digest digest = Digest.tryParse(reference).orElse(null);
    Descriptor entry;
    synchronized (monitor) {
      Descriptor tagged = index.tagged(reference);
      if (tagged != null) {
        return tagged;
      }
      entry = digest == null ? null : index.entry(digest);
    }
    if (digest != null) {
      Descriptor found = entry != null ? entry.plain() : walker.known(digest);
      if (found != null && exists(found)) {
        return found;
      }
    }
    throw new NotFoundException(reference + ": not found in " + indexFile, reference);
  }

  @Override
  public void tag(Descriptor desc, String reference) throws IOException {
    Objects.requireNonNull(desc, "desc");
    Objects.requireNonNull(reference, "reference");
    Digest asDigest = Digest.tryParse(reference).orElse(null);
    if (asDigest == null) {
      RefNames.check(reference);
    } else if (!asDigest.equals(desc.digest())) {
      throw new InvalidReferenceException(
          "cannot tag " + desc.digest() + " with the different digest " + reference);
    }
    contentLock.readLock().lock();
    try {
      if (!exists(desc)) {
        throw notFound(desc);
      }
      if (asDigest != null) {
        updateIndex(new IndexChange.List(desc));
      } else {
        updateIndex(new IndexChange.Tag(desc, reference));
      }
    } finally {
      contentLock.readLock().unlock();
    }
  }

  /**
   * Removes a tag's entry from index.json; the manifest stays in the layout, listed without a name
   * (as oras-go keeps it), until it is {@linkplain #delete deleted}.
   *
   * @param reference the tag
   * @throws NotFoundException if there is no such tag
   * @throws IOException if index.json cannot be written
   */
  @Override
  public void untag(String reference) throws IOException {
    Objects.requireNonNull(reference, "reference");
    refreshIfChanged();
    contentLock.readLock().lock();
    try {
      boolean tagged;
      synchronized (monitor) {
        tagged = index.tagged(reference) != null;
      }
      if (!tagged) {
        throw new NotFoundException(reference + ": tag not found in " + indexFile, reference);
      }
      updateIndex(new IndexChange.Untag(reference));
    } finally {
      contentLock.readLock().unlock();
    }
  }

  @Override
  public void tags(@Nullable String last, PageConsumer<String> consumer) throws IOException {
    Objects.requireNonNull(consumer, "consumer");
    refreshIfChanged();
    NavigableSet<String> names;
    synchronized (monitor) {
      names = index.tagNames();
    }
    List<String> page =
        List.copyOf(last == null || last.isEmpty() ? names : names.tailSet(last, false));
    consumer.accept(page);
  }

  /**
   * The descriptors index.json lists (with unsaved changes, when auto-save is off), as they are
   * written there: tags carry their {@code org.opencontainers.image.ref.name} annotation.
   *
   * @return the entries, in file order
   * @throws IOException if index.json was replaced by another process and cannot be re-read
   */
  public List<Descriptor> indexEntries() throws IOException {
    refreshIfChanged();
    return currentIndex().entries();
  }

  @Override
  public List<Descriptor> predecessors(Descriptor node) throws IOException {
    Objects.requireNonNull(node, "node");
    refreshIfChanged();
    return walker.graph().predecessors(node);
  }

  // ---------------------------------------------------------------- delete and gc

  /**
   * Deletes a blob, manifest or index: its entries (tags included) leave index.json first, then the
   * file goes, so index.json never names a deleted manifest. What it points at stays until {@link
   * #gc()} — unless {@linkplain OciLayoutOptions#withAutoGc(boolean) auto-GC} is on, as in oras-go:
   * then the referrers of a deleted manifest are deleted too (transitively: a signature of a
   * signature goes with it), and so is every successor that nothing else points at any more, except
   * content a tag names or index.json lists (index.json's entries are what {@link #gc()} keeps as
   * well; oras-go protects tagged manifests only), and except the subject of a deleted referrer
   * (deleting a signature never deletes what it signs, as oras-go would).
   *
   * @param target the content
   * @throws NotFoundException if the layout does not have it
   * @throws IOException if index.json or the blob cannot be written
   */
  @Override
  public void delete(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    contentLock.writeLock().lock();
    try {
      if (!Files.exists(LayoutFiles.blobPath(root, target.digest()))) {
        throw notFound(target);
      }
      if (!options.autoGc()) {
        deleteNode(target);
        return;
      }
      Deque<Descriptor> queue = new ArrayDeque<>(List.of(target));
      Set<Digest> seen = new HashSet<>();
      while (!queue.isEmpty()) {
        Descriptor head = queue.removeFirst();
        if (!seen.add(head.digest()) || !Files.exists(LayoutFiles.blobPath(root, head.digest()))) {
          continue;
        }
        List<Descriptor> successors = List.of();
        if (Successors.mayHaveSuccessors(head.mediaType())) {
          queue.addAll(referrersOf(head));
          successors = successorsForDelete(head);
        }
        deleteNode(head);
        for (Descriptor successor : successors) {
          if (walker.graph().predecessors(successor).isEmpty() && !listed(successor.digest())) {
            queue.addLast(successor);
          }
        }
      }
    } finally {
      contentLock.writeLock().unlock();
    }
  }

  /** Deletes one node: its index.json entries first, then its file. */
  private void deleteNode(Descriptor target) throws IOException {
    Path blob = LayoutFiles.blobPath(root, target.digest());
    updateIndexNow(new IndexChange.Remove(target.digest()));
    try {
      Files.delete(blob);
    } catch (NoSuchFileException e) {
      throw notFound(target);
    }
    LayoutFiles.syncDirectory(LayoutFiles.parent(blob));
    walker.forget(target);
  }

  private boolean listed(Digest digest) {
    synchronized (monitor) {
      return index.contains(digest);
    }
  }

  /** The manifests whose subject is {@code node}. */
  private List<Descriptor> referrersOf(Descriptor node) {
    List<Descriptor> out = new ArrayList<>();
    for (Descriptor predecessor : walker.graph().predecessors(node)) {
      Referrer referrer = classify(predecessor.digest(), predecessor.size());
      if (node.digest().equals(referrer.subject())) {
        out.add(predecessor);
      }
    }
    return out;
  }

  /**
   * A manifest's successors but its subject (a signature does not own what it signs), or none
   * (logged) when it cannot be read: then nothing below it is collected.
   */
  private List<Descriptor> successorsForDelete(Descriptor node) {
    try {
      Digest subject = classify(node.digest(), node.size()).subject();
      List<Descriptor> out =
          new ArrayList<>(Successors.find(this, node, options.maxMetadataBytes()));
      out.removeIf(successor -> successor.digest().equals(subject));
      return out;
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          () ->
              node.digest()
                  + ": cannot read it to collect what it points at ("
                  + e.getMessage()
                  + "); deleting it alone, run gc() later");
      return List.of();
    }
  }

  /**
   * Removes every blob that is not reachable from index.json: not listed there, not pointed at (as
   * config, layer, manifest or subject) by anything listed, transitively. Referrers of reachable
   * manifests (manifests whose {@code subject} is reachable) are kept, even when index.json does
   * not list them. Also removes temporary files that pushes of dead processes left behind. Unsaved
   * index changes are saved first.
   *
   * <p>Excludes other calls of this store and index.json updates of other processes while it runs;
   * a blob another process has pushed but not yet tagged can be collected, as with every layout
   * tool, so do not collect a layout other processes are writing to.
   *
   * @return what was removed
   * @throws ContentException if a reachable manifest is missing or corrupt (nothing is removed
   *     then: what it points at cannot be known)
   * @throws IOException if the layout cannot be read or written
   */
  public GcResult gc() throws IOException {
    contentLock.writeLock().lock();
    try {
      return layoutLock.locked(this::collectUnderLock);
    } finally {
      contentLock.writeLock().unlock();
    }
  }

  /** The collection itself; the layout lock is held. */
  private GcResult collectUnderLock() throws IOException {
    syncThenSave(null);
    IndexDocument doc = currentIndex();
    Map<Digest, Descriptor> reachable = new LinkedHashMap<>();
    Map<Digest, Descriptor> missingNodes = new LinkedHashMap<>();
    GraphWalker.reachable(
        this::fetchForWalk, options.maxMetadataBytes(), doc.entries(), reachable, missingNodes);
    Map<Digest, Long> present = presentBlobs();
    Map<Digest, Long> candidates = new LinkedHashMap<>(present);
    candidates.keySet().removeAll(reachable.keySet());
    Map<Digest, String> kept = new TreeMap<>();
    keepReferrers(candidates, reachable, missingNodes, kept);
    List<Digest> removed = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<Digest, Long> candidate : new TreeMap<>(candidates).entrySet()) {
      if (Files.deleteIfExists(LayoutFiles.blobPath(root, candidate.getKey()))) {
        removed.add(candidate.getKey());
        bytes += candidate.getValue();
        Descriptor known = walker.known(candidate.getKey());
        if (known != null) {
          walker.forget(known);
        }
      }
    }
    List<Descriptor> missing = new ArrayList<>();
    for (Descriptor node : reachable.values()) {
      if (!present.containsKey(node.digest())) {
        missing.add(node.plain());
      }
    }
    int temps = removeAbandonedUnderLock();
    GcResult result = new GcResult(removed, bytes, temps, kept, missing);
    if (!kept.isEmpty()) {
      LOG.log(
          System.Logger.Level.WARNING,
          () ->
              root
                  + ": gc kept "
                  + kept.size()
                  + " blobs it could not read"
                  + " (each might be a referrer of something kept): "
                  + kept);
    }
    if (!missing.isEmpty()) {
      LOG.log(
          System.Logger.Level.INFO,
          () ->
              root
                  + ": "
                  + missing.size()
                  + " blobs index.json reaches are not in"
                  + " the layout (a sparse layout): "
                  + missing.stream().map(d -> d.digest().toString()).toList());
    }
    LOG.log(System.Logger.Level.DEBUG, () -> root + ": gc " + result);
    return result;
  }

  /** Every blob file under blobs/ with a valid digest name, and its size. */
  private Map<Digest, Long> presentBlobs() throws IOException {
    Map<Digest, Long> out = new LinkedHashMap<>();
    Path blobs = root.resolve(LayoutFiles.BLOBS_DIR);
    try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs)) {
      for (Path algorithmDir : algorithms) {
        String algorithm = algorithmDir.getFileName().toString();
        if (!Files.isDirectory(algorithmDir) || !Digest.isSupported(algorithm)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(algorithmDir)) {
          for (Path file : files) {
            Digest digest = Digest.tryParse(algorithm + ":" + file.getFileName()).orElse(null);
            if (digest != null && Files.isRegularFile(file)) {
              out.put(digest, Files.size(file));
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Moves referrers of reachable manifests (and their graphs) from the candidates to the reachable
   * set, and candidates that cannot be understood (so might be such referrers) to {@code kept}.
   */
  private void keepReferrers(
      Map<Digest, Long> candidates,
      Map<Digest, Descriptor> reachable,
      Map<Digest, Descriptor> missing,
      Map<Digest, String> kept)
      throws IOException {
    Map<Digest, Referrer> manifests = new LinkedHashMap<>();
    for (Map.Entry<Digest, Long> candidate : candidates.entrySet()) {
      Referrer classified = classify(candidate.getKey(), candidate.getValue());
      if (classified.unreadable() != null) {
        kept.put(candidate.getKey(), classified.unreadable());
      } else if (classified.subject() != null) {
        manifests.put(candidate.getKey(), classified);
      }
    }
    candidates.keySet().removeAll(kept.keySet());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<Digest, Referrer> manifest : List.copyOf(manifests.entrySet())) {
        if (candidates.containsKey(manifest.getKey())
            && reachable.containsKey(manifest.getValue().subject())) {
          GraphWalker.reachable(
              this::fetchForWalk,
              options.maxMetadataBytes(),
              List.of(manifest.getValue().desc()),
              reachable,
              missing);
          candidates.keySet().removeAll(reachable.keySet());
          changed = true;
        }
      }
    }
  }

  /**
   * What a blob is, as far as gc cares: a manifest with a subject (a possible referrer), something
   * else, or something that could not be understood and so must be kept.
   *
   * @param desc the manifest's descriptor, when it has a subject
   * @param subject the subject's digest, or null
   * @param unreadable why it could not be understood, or null
   */
  private record Referrer(
      @Nullable Descriptor desc, @Nullable Digest subject, @Nullable String unreadable) {
    static final Referrer NONE = new Referrer(null, null, null);
  }

  private Referrer classify(Digest digest, long size) {
    Path blob = LayoutFiles.blobPath(root, digest);
    try {
      if (!startsAsJsonObject(blob)) {
        return Referrer.NONE; // not a JSON object: not a manifest, so no referrer
      }
      if (size > options.maxMetadataBytes()) {
        return new Referrer(
            null,
            null,
            "a JSON document of "
                + size
                + " bytes, over the metadata limit of "
                + options.maxMetadataBytes()
                + " bytes (OciLayoutOptions.withMaxMetadataBytes)");
      }
      byte[] bytes = LayoutFiles.readSmallFile(blob, options.maxMetadataBytes());
      Map<String, String> fields = Json.fields(bytes, "manifest", "subject.digest", "mediaType");
      String subject = fields.get("subject.digest");
      if (subject == null) {
        return Referrer.NONE;
      }
      Digest subjectDigest = Digest.tryParse(subject).orElse(null);
      if (subjectDigest == null) {
        return new Referrer(
            null, null, "its subject digest \"" + subject + "\" is not a valid digest");
      }
      String mediaType = fields.getOrDefault("mediaType", MediaTypes.OCI_MANIFEST);
      return new Referrer(Descriptor.of(mediaType, digest, size), subjectDigest, null);
    } catch (InvalidDescriptorException e) {
      return new Referrer(null, null, "starts like JSON but is not valid JSON: " + e.getMessage());
    } catch (IOException e) {
      return new Referrer(null, null, "cannot be read: " + e.getMessage());
    }
  }

  /** Whether the first byte that is not white space is '{'. */
  private static boolean startsAsJsonObject(Path blob) throws IOException {
    try (InputStream in = Files.newInputStream(blob)) {
      int b;
      do {
        b = in.read();
      } while (b == ' ' || b == '\t' || b == '\n' || b == '\r');
      return b == '{';
    }
  }

  private void removeAbandonedFiles() {
    try {
      layoutLock.locked(this::removeAbandonedUnderLock);
    } catch (IOException e) {
      // a read-only layout: nothing to clean, and nothing we could clean
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> root + ": cannot clean temporary files: " + e.getMessage());
    }
  }

  private int removeAbandonedUnderLock() {
    int removed = Ingestion.removeAbandoned(ingestDir);
    // index.json temporaries are only written under the layout lock, which we hold: any left is
    // stale.
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(
            root,
            p -> LayoutFiles.isTempFileOf(p.getFileName().toString(), LayoutFiles.INDEX_FILE))) {
      for (Path file : files) {
        if (Files.deleteIfExists(file)) {
          removed++;
          LOG.log(System.Logger.Level.INFO, () -> "removed abandoned temporary file " + file);
        }
      }
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> root + ": cannot clean index temporaries: " + e.getMessage());
    }
    return removed;
  }

  // ---------------------------------------------------------------- index.json

  /**
   * Writes the changes kept in memory (auto-save off, or a {@linkplain #batch() batch} open) to
   * index.json: blobs a batch pushed are flushed to disk first, then, under the layout's file lock,
   * index.json is re-read and the changes are replayed onto it, so changes other processes saved
   * meanwhile are kept. With auto-save on and no batch open there is never anything to save.
   *
   * @throws IOException if a blob cannot be flushed or index.json cannot be read or written
   */
  public void saveIndex() throws IOException {
    List<Descriptor> entries =
        layoutLock.locked(
            () -> {
              boolean reloaded = syncThenSave(null);
              synchronized (monitor) {
                return reloaded ? index.snapshot().entries() : List.<Descriptor>of();
              }
            });
    walker.walk(entries); // entries other processes added: index their graphs too
  }

  /**
   * Opens a batch: until it is closed, index.json is not rewritten on every change (tag, push of a
   * manifest) and pushed blobs are not flushed to disk one by one; both are made durable together
   * at checkpoints (every {@link OciLayoutOptions#batchCheckpoint()} changes) and when the batch is
   * closed — one index.json write where there would have been one per manifest. Meant around a copy
   * of many manifests into the layout:
   *
   * <pre>{@code
   * try (OciLayoutStore.IndexBatch batch = layout.batch()) {
   *   Copy.copy(source, "v1", layout, "v1", CopyOptions.defaults());
   * }   // index.json written (and every blob flushed) here
   * }</pre>
   *
   * <p>Everything stays visible to this store at once. Crash safety: index.json is always a
   * complete version, and every blob it names was flushed to disk before it was written; a crash
   * loses at most the changes and blobs since the last checkpoint (a blob file left short by the
   * crash is taken for absent, and a later push or {@link #gc()} replaces or removes it). Batches
   * may overlap (several threads, several copies); changes are deferred while any is open. {@link
   * #delete} and {@link #gc()} write index.json at once, batch or not.
   *
   * @return the batch; close it (try-with-resources) to write what it holds
   */
  public IndexBatch batch() {
    synchronized (monitor) {
      openBatches++;
    }
    return new IndexBatch();
  }

  /**
   * An open {@linkplain OciLayoutStore#batch() batch} of index.json changes. Closing it writes
   * index.json (durably) with every change made so far; closing it twice does nothing.
   */
  public final class IndexBatch implements java.io.Closeable {
    private boolean closed;

    private IndexBatch() {}

    /**
     * Writes what the store holds so far, durably, and keeps the batch open.
     *
     * @throws IOException if a blob cannot be flushed or index.json cannot be written
     */
    public void checkpoint() throws IOException {
      saveIndex();
    }

    /**
     * Ends the batch and writes every change made so far to index.json, after flushing the blobs
     * pushed in the batch to disk. When it throws, the changes stay in memory; a later {@link
     * OciLayoutStore#saveIndex()} or close of another batch retries.
     *
     * @throws IOException if a blob cannot be flushed or index.json cannot be written
     */
    @Override
    public void close() throws IOException {
      synchronized (monitor) {
        if (closed) {
          return;
        }
        closed = true;
        openBatches--;
      }
      saveIndex();
    }
  }

  private boolean batching() {
    synchronized (monitor) {
      return openBatches > 0;
    }
  }

  /** Records a blob committed without being flushed (a batch is open). */
  private void committedUnsynced(Path blob) throws IOException {
    boolean checkpoint;
    synchronized (monitor) {
      unsynced.add(blob);
      checkpoint = claimCheckpoint();
    }
    if (checkpoint) {
      checkpoint();
    }
  }

  /**
   * Whether this thread should write a checkpoint now (the monitor held): enough changes are
   * waiting and no other thread is already writing one. The others go on pushing meanwhile instead
   * of queueing for the layout lock to write index.json again right after.
   */
  private boolean claimCheckpoint() {
    if (checkpointing
        || openBatches == 0
        || unsynced.size() + pending.size() < options.batchCheckpoint()) {
      return false;
    }
    checkpointing = true;
    return true;
  }

  private void checkpoint() throws IOException {
    try {
      saveIndex();
    } finally {
      synchronized (monitor) {
        checkpointing = false;
      }
    }
  }

  /**
   * Flushes the blobs committed unsynced, then (once none is left) saves index.json; the layout
   * lock is held. A change always follows its blobs into {@link #pending}, so when nothing is left
   * unsynced every blob a pending change names is on disk.
   *
   * @param change a change to apply just before the save, or null
   * @return whether index.json had been changed by another writer (and was re-read)
   */
  private boolean syncThenSave(@Nullable IndexChange change) throws IOException {
    synchronized (monitor) {
      // Pushes wait meanwhile, so what index.json will name is exactly what was flushed. (Letting
      // them go on during the flush was tried: on ext4 their file creations then queue behind the
      // journal commits of the flush, and the copy got no faster.)
      BlobSync.syncAll(List.copyOf(unsynced));
      unsynced.clear();
      boolean reloaded = reloadUnderLock();
      if (change != null) {
        change.applyTo(index);
        pending.add(change);
      }
      saveUnderLock();
      return reloaded;
    }
  }

  private IndexDocument currentIndex() {
    synchronized (monitor) {
      return index.snapshot();
    }
  }

  private void updateIndex(IndexChange change) throws IOException {
    boolean checkpoint = false;
    synchronized (monitor) {
      if (!options.autoSaveIndex() || openBatches > 0) {
        change.applyTo(index);
        pending.add(change);
        checkpoint = claimCheckpoint();
        if (!checkpoint) {
          return;
        }
      }
    }
    if (checkpoint) {
      checkpoint();
      return;
    }
    updateIndexNow(change);
  }

  /** Applies a change and writes index.json at once (with whatever else is pending). */
  private void updateIndexNow(IndexChange change) throws IOException {
    // The layout lock first, the monitor only around the file's read and write: readers of this
    // store are not held up while another process holds the layout lock.
    List<Descriptor> entries =
        layoutLock.locked(
            () -> {
              boolean reloaded = syncThenSave(change);
              synchronized (monitor) {
                return reloaded ? index.snapshot().entries() : List.<Descriptor>of();
              }
            });
    walker.walk(entries); // entries other processes added: index their graphs too
  }

  /**
   * Re-reads index.json (the lock and the monitor held) and replays unsaved changes onto it, unless
   * the file is the one last read or written: then the editor already holds it and the changes.
   *
   * @return whether the file was re-read
   */
  private boolean reloadUnderLock() throws IOException {
    FileStamp current = stampOf(indexFile);
    if (current != null && current.equals(stamp)) {
      return false;
    }
    IndexDocument doc = readIndexFile();
    onDisk = doc;
    IndexEditor editor = IndexEditor.of(doc);
    for (IndexChange change : pending) {
      change.applyTo(editor);
    }
    index = editor;
    stamp = current;
    return true;
  }

  /**
   * Writes the edited index if it differs from the file (the lock and monitor held, {@link
   * #reloadUnderLock()} just run).
   */
  private void saveUnderLock() throws IOException {
    IndexDocument next = index.snapshot();
    if (!next.equals(onDisk)) {
      LayoutFiles.writeAtomically(indexFile, next.toJson());
      onDisk = next;
    }
    pending.clear();
    stamp = stampOf(indexFile);
  }

  private void refreshIfChanged() throws IOException {
    List<Descriptor> entries;
    synchronized (monitor) {
      FileStamp current = stampOf(indexFile);
      if (Objects.equals(current, stamp)) {
        return;
      }
      IndexDocument doc = readIndexFile();
      onDisk = doc;
      IndexEditor editor = IndexEditor.of(doc);
      for (IndexChange change : pending) {
        change.applyTo(editor);
      }
      index = editor;
      stamp = current;
      entries = editor.snapshot().entries();
    }
    walker.walk(entries);
  }

  private IndexDocument readIndexFile() throws IOException {
    byte[] bytes;
    try {
      bytes = LayoutFiles.readSmallFile(indexFile, options.maxIndexBytes());
    } catch (NoSuchFileException e) {
      throw new ContentException(
          indexFile + ": missing; the layout is incomplete: restore index.json", e);
    } catch (ContentException e) {
      throw new InvalidDescriptorException(indexFile + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException(indexFile + ": cannot read: " + e.getMessage(), e);
    }
    return IndexDocument.parse(bytes, indexFile.toString());
  }

  private static @Nullable FileStamp stampOf(Path file) throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileStamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- export

  /**
   * Writes the whole layout (index.json as it is, and every blob) as a tar archive, the {@code
   * oci-archive} format of skopeo: a single file to carry into an air-gapped site. The archive is
   * written to a temporary file next to {@code target} and renamed when complete, so {@code target}
   * is never a partial archive. A sparse layout (one whose index.json reaches content it does not
   * hold, as a copy of one platform of an index leaves it) is exported as it is: what is missing is
   * missing from the archive too, and listed in the result.
   *
   * @param target the tar file to create or replace
   * @return what was written and what index.json reaches but the layout does not hold
   * @throws DigestMismatchException if a blob is corrupt (nothing is written then)
   * @throws IOException if reading or writing fails
   */
  public ExportResult exportArchive(Path target) throws IOException {
    return exportTo(target, null);
  }

  /**
   * Writes the graphs of chosen tags, with the referrers of every manifest in them, as a tar
   * archive in the {@code oci-archive} format; its index.json lists the tags (and the referrers,
   * untagged). Written to a temporary file and renamed when complete. Content the graphs name but
   * the layout does not hold (a sparse layout) is left out and listed in the result.
   *
   * @param target the tar file to create or replace
   * @param tags the tags to export, at least one
   * @return what was written and what the graphs name but the layout does not hold
   * @throws NotFoundException if a tag is missing
   * @throws DigestMismatchException if a blob is corrupt (nothing is written then)
   * @throws IllegalArgumentException if {@code tags} is empty
   * @throws IOException if reading or writing fails
   */
  public ExportResult exportArchive(Path target, Collection<String> tags) throws IOException {
    return exportTo(target, requireTags(tags));
  }

  /**
   * Streams the whole layout as a tar archive (see {@link #exportArchive(Path)}). The stream is
   * flushed, not closed; on failure it holds a partial archive.
   *
   * @param out where to write
   * @return what was written and what is missing
   * @throws IOException if reading or writing fails
   */
  public ExportResult exportArchive(OutputStream out) throws IOException {
    return export(out, null);
  }

  /**
   * Streams the graphs of chosen tags as a tar archive (see {@link #exportArchive(Path,
   * Collection)}). The stream is flushed, not closed; on failure it holds a partial archive.
   *
   * @param out where to write
   * @param tags the tags to export, at least one
   * @return what was written and what is missing
   * @throws IllegalArgumentException if {@code tags} is empty
   * @throws IOException if reading or writing fails
   */
  public ExportResult exportArchive(OutputStream out, Collection<String> tags) throws IOException {
    return export(out, requireTags(tags));
  }

  private static List<String> requireTags(Collection<String> tags) {
    Objects.requireNonNull(tags, "tags");
    if (tags.isEmpty()) {
      throw new IllegalArgumentException(
          "no tags to export; use exportArchive(target) for the whole layout");
    }
    return List.copyOf(tags);
  }

  private ExportResult exportTo(Path target, @Nullable List<String> tags) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path temp = absolute.resolveSibling(absolute.getFileName() + "_" + LayoutFiles.randomSuffix());
    boolean done = false;
    try {
      ExportResult result;
      try (OutputStream out =
          new BufferedOutputStream(
              Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              1 << 16)) {
        result = export(out, tags);
      }
      try (var channel = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      LayoutFiles.move(temp, absolute);
      done = true;
      LayoutFiles.syncDirectory(LayoutFiles.parent(absolute));
      return result;
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot create a temporary file next to " + absolute, e);
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private ExportResult export(OutputStream out, @Nullable List<String> tags) throws IOException {
    Objects.requireNonNull(out, "out");
    contentLock.readLock().lock();
    try {
      refreshIfChanged();
      IndexDocument doc = currentIndex();
      List<Descriptor> roots = tags == null ? doc.entries() : taggedRoots(doc, tags);
      Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
      Map<Digest, Descriptor> missingNodes = new LinkedHashMap<>();
      GraphWalker.reachable(
          this::fetchForWalk, options.maxMetadataBytes(), roots, blobs, missingNodes);
      Map<Digest, Long> present = presentBlobs();
      if (tags == null) {
        // the whole layout is copied faithfully: blobs nothing reachable names go along too
        for (Map.Entry<Digest, Long> other : new TreeMap<>(present).entrySet()) {
          blobs.putIfAbsent(
              other.getKey(),
              Descriptor.of(MediaTypes.OCTET_STREAM, other.getKey(), other.getValue()));
        }
      } else {
        List<Descriptor> referrers = addReferrers(blobs, missingNodes);
        List<Descriptor> entries = new ArrayList<>(roots);
        entries.addAll(referrers);
        doc = doc.with(entries);
      }
      List<Descriptor> missing = new ArrayList<>();
      List<Descriptor> toWrite = new ArrayList<>();
      for (Descriptor blob : blobs.values()) {
        (present.containsKey(blob.digest()) ? toWrite : missing).add(blob.plain());
      }
      if (!missing.isEmpty()) {
        LOG.log(
            System.Logger.Level.INFO,
            () ->
                root
                    + ": exporting a sparse layout; "
                    + missing.size()
                    + " blobs index.json reaches are not in it and not in the archive: "
                    + missing.stream().map(d -> d.digest().toString()).toList());
      }
      ArchiveWriter.write(out, doc, toWrite, this::fetchVerified);
      return new ExportResult(toWrite.size(), missing);
    } finally {
      contentLock.readLock().unlock();
    }
  }

  private InputStream fetchVerified(Descriptor target) throws IOException {
    return new VerifyingInputStream(openBlob(target), target);
  }

  private static List<Descriptor> taggedRoots(IndexDocument doc, List<String> tags)
      throws NotFoundException {
    List<Descriptor> roots = new ArrayList<>();
    for (String tag : tags) {
      Descriptor entry = doc.tagged(tag);
      if (entry == null) {
        throw new NotFoundException(tag + ": tag not found; nothing was exported", tag);
      }
      roots.add(entry);
    }
    return roots;
  }

  /**
   * Adds the referrers of every node in {@code blobs} (and their graphs), transitively; returns the
   * referrers.
   */
  private List<Descriptor> addReferrers(
      Map<Digest, Descriptor> blobs, Map<Digest, Descriptor> missing) throws IOException {
    List<Descriptor> referrers = new ArrayList<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Descriptor node : List.copyOf(blobs.values())) {
        for (Descriptor predecessor : walker.graph().predecessors(node)) {
          if (blobs.containsKey(predecessor.digest()) || !exists(predecessor)) {
            continue;
          }
          Referrer referrer = classify(predecessor.digest(), predecessor.size());
          if (referrer.desc() != null && blobs.containsKey(referrer.subject())) {
            Descriptor entry = predecessor.plain().withArtifactType(predecessor.artifactType());
            referrers.add(entry);
            GraphWalker.reachable(
                this::fetchForWalk, options.maxMetadataBytes(), List.of(entry), blobs, missing);
            changed = true;
          }
        }
      }
    }
    return referrers;
  }

  private static NotFoundException notFound(Descriptor desc) {
    return new NotFoundException(
        desc.digest() + ": " + desc.mediaType() + ": not found", desc.digest());
  }

  /** How many manifests and indexes the graph walks have read so far (for tests). */
  long graphReads() {
    return walker.reads();
  }

  @Override
  public String toString() {
    return "OciLayoutStore[" + root + "]";
  }
}
