package dev.stevedore.content.ocilayout;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.stevedore.content.Successors;
import dev.stevedore.content.TagLister;
import dev.stevedore.content.Untagger;
import dev.stevedore.content.VerifyingInputStream;
import dev.stevedore.content.internal.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A content store over a directory in the OCI image layout (image-spec v1.1): {@code oci-layout},
 * {@code index.json} and {@code blobs/<algorithm>/<encoded>}, the format skopeo ({@code oci:dir}),
 * umoci, oras and buildkit read and write. A {@link GraphTarget} with {@link Deleter},
 * {@link Untagger} and {@link TagLister}.
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
 * killed push leaves no blob, and its temporary file is removed (by the push, or, after a crash,
 * by the next {@code open} or {@link #gc()}). The same content pushed twice, even at once, is
 * stored once; a push of content already present throws {@link AlreadyExistsException}.
 *
 * <p><b>index.json</b> holds the tags, as oras-go writes them: each tag is an entry annotated
 * with {@code org.opencontainers.image.ref.name}, tagging replaces the entry of that name, and
 * every manifest or index pushed is listed as well (without a name), so that its graph, and the
 * referrers of what it points at, are found again when the layout is reopened. By default every
 * change rewrites index.json atomically (temporary file, fsync, rename) under a file lock, after
 * re-reading it, so two processes writing one layout do not lose each other's tags; with
 * {@link OciLayoutOptions#withAutoSaveIndex(boolean) auto-save off}, changes are kept in memory
 * until {@link #saveIndex()}. Reads notice when another process has replaced index.json and
 * reload it.
 *
 * <p><b>Fetches</b> are verified while they are read ({@link DigestMismatchException} for a
 * blob corrupted on disk) unless {@link OciLayoutOptions#withVerifyOnFetch(boolean) turned off}.
 * {@link #predecessors} knows every manifest and index pushed or reachable from index.json.
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
  private IndexDocument index = IndexDocument.empty();
  /** Changes not yet saved (auto-save off), replayed onto the file's content when saving. */
  private final List<UnaryOperator<IndexDocument>> pending = new ArrayList<>();
  private @Nullable FileStamp stamp;
  /** index.json as last read under the layout lock, to skip writes that change nothing. */
  private IndexDocument onDisk = IndexDocument.empty();

  private record FileStamp(@Nullable Object fileKey, long size, FileTime modified) {}

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
   * @throws dev.stevedore.content.UnsupportedContentException if {@code oci-layout} names a
   *     version other than 1.0.0
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
   * index.json and indexes the graph below it (every manifest and index reachable is read once).
   *
   * @param directory the layout's root
   * @param options the settings
   * @return the store
   * @throws dev.stevedore.content.UnsupportedContentException if {@code oci-layout} names a
   *     version other than 1.0.0
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
      throw new ContentException(root + ": not a directory; an OCI layout is a directory"
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
   * @throws ContentException if the file is not a tar archive, holds an entry with an absolute
   *     path or a {@code ..} component, or is not a valid layout
   * @throws IOException if the file cannot be read
   */
  public static OciLayoutArchive openArchive(Path archive) throws IOException {
    return OciLayoutArchive.open(archive, OciLayoutOptions.defaults());
  }

  /**
   * Opens an OCI layout packed as a tar archive, read-only, with options (only the verification
   * and limits apply).
   *
   * @param archive the tar file
   * @param options the settings
   * @return the read-only store; close it to release the file
   * @throws ContentException if the file is not a tar archive, holds an entry with an absolute
   *     path or a {@code ..} component, or is not a valid layout
   * @throws IOException if the file cannot be read
   */
  public static OciLayoutArchive openArchive(Path archive, OciLayoutOptions options) throws IOException {
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
      layoutLock.locked(() -> {
        if (!Files.exists(layoutFile)) {
          Files.createDirectories(root.resolve(LayoutFiles.BLOBS_DIR));
          if (!Files.exists(indexFile)) {
            LayoutFiles.writeAtomically(indexFile, IndexDocument.empty().toJson());
          }
          LayoutFiles.writeAtomically(layoutFile, LayoutFiles.layoutFileBytes());
          LOG.log(System.Logger.Level.DEBUG, () -> "created OCI layout " + root);
        }
        return null;
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
      layoutLock.locked(() -> {
        if (!Files.exists(indexFile)) {
          LayoutFiles.writeAtomically(indexFile, IndexDocument.empty().toJson());
        }
        return null;
      });
    }
    synchronized (monitor) {
      FileStamp current = stampOf(indexFile);
      index = readIndexFile();
      stamp = current;
    }
    removeAbandonedFiles();
    walker.walk(currentIndex().entries());
  }

  private void requireEmptyForCreation() throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      List<String> others = entries.map(p -> p.getFileName().toString())
          .filter(name -> !name.equals(LayoutFiles.LOCK_FILE) && !name.equals(LayoutFiles.INDEX_FILE)
              && !name.equals(LayoutFiles.BLOBS_DIR) && !name.equals(LayoutFiles.INGEST_DIR)
              && !LayoutFiles.isTempFileOf(name, LayoutFiles.INDEX_FILE)
              && !LayoutFiles.isTempFileOf(name, LayoutFiles.LAYOUT_FILE))
          .sorted().limit(3).toList();
      if (!others.isEmpty()) {
        throw new ContentException(root.resolve(LayoutFiles.LAYOUT_FILE) + ": missing, and the directory holds "
            + others + (others.size() == 3 ? " and more" : "") + ": not an OCI image layout; "
            + "open an empty or missing directory to create a layout");
      }
    }
    // index.json without oci-layout: only an empty one (as a creator that died mid-way leaves it)
    // is completed; one that lists manifests is a layout whose oci-layout file was lost.
    if (Files.exists(indexFile)) {
      IndexDocument found = readIndexFile();
      if (!found.entries().isEmpty()) {
        throw new ContentException(root.resolve(LayoutFiles.LAYOUT_FILE) + ": missing, but index.json lists "
            + found.entries().size() + " manifests: restore the oci-layout file ({\"imageLayoutVersion\":\"1.0.0\"})");
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
      throw new DigestMismatchException(target.digest() + ": blob file " + blob + " has " + size
          + " bytes, its descriptor says " + target.size()
          + "; either the descriptor is wrong or the blob is corrupt (then delete it and push it again)",
          target.digest(), null);
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
        throw new AlreadyExistsException(expected.digest() + ": " + expected.mediaType() + ": already exists");
      }
      List<Descriptor> successors = List.of();
      try (Ingestion ingestion = Ingestion.start(ingestDir, expected)) {
        ingestion.write(expected, content);
        if (Successors.mayHaveSuccessors(expected.mediaType())) {
          successors = successorsOf(expected, ingestion.temp());
        }
        // Record the edges before the manifest becomes visible, so a visible manifest always has
        // its predecessor edges known.
        walker.record(expected, successors);
        ingestion.commit(blob);
      } catch (IOException | RuntimeException e) {
        if (!isPresent(blob, expected.size())) {
          walker.forget(expected);
        }
        throw e;
      }
      if (MediaTypes.isManifest(expected.mediaType())) {
        updateIndex(doc -> doc.withUntagged(expected));
      }
    } finally {
      contentLock.readLock().unlock();
    }
  }

  private List<Descriptor> successorsOf(Descriptor desc, Path file) throws IOException {
    if (desc.size() > options.maxMetadataBytes()) {
      LOG.log(System.Logger.Level.WARNING, () -> desc.digest() + ": " + desc.mediaType() + " of " + desc.size()
          + " bytes exceeds the metadata limit; its successors are not indexed");
      return List.of();
    }
    return Successors.parse(desc, LayoutFiles.readSmallFile(file, options.maxMetadataBytes()));
  }

  // ---------------------------------------------------------------- references

  @Override
  public Descriptor resolve(String reference) throws IOException {
    Objects.requireNonNull(reference, "reference");
    if (reference.isEmpty()) {
      throw new InvalidReferenceException("empty reference: give a tag or a digest");
    }
    refreshIfChanged();
    IndexDocument doc = currentIndex();
    Descriptor tagged = doc.tagged(reference);
    if (tagged != null) {
      return tagged;
    }
    Digest digest = Digest.tryParse(reference).orElse(null);
    if (digest != null) {
      Descriptor entry = doc.entry(digest);
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
      throw new InvalidReferenceException("cannot tag " + desc.digest() + " with the different digest " + reference);
    }
    contentLock.readLock().lock();
    try {
      if (!exists(desc)) {
        throw notFound(desc);
      }
      if (asDigest != null) {
        updateIndex(doc -> doc.withUntagged(desc));
      } else {
        updateIndex(doc -> doc.withTag(desc, reference));
      }
    } finally {
      contentLock.readLock().unlock();
    }
  }

  /**
   * Removes a tag's entry from index.json; the manifest stays in the layout, listed without a
   * name (as oras-go keeps it), until it is {@linkplain #delete deleted}.
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
      if (currentIndex().tagged(reference) == null) {
        throw new NotFoundException(reference + ": tag not found in " + indexFile, reference);
      }
      updateIndex(doc -> doc.withoutTag(reference));
    } finally {
      contentLock.readLock().unlock();
    }
  }

  @Override
  public void tags(@Nullable String last, PageConsumer<String> consumer) throws IOException {
    Objects.requireNonNull(consumer, "consumer");
    refreshIfChanged();
    TreeSet<String> names = currentIndex().tagNames();
    List<String> page = List.copyOf(last == null || last.isEmpty() ? names : names.tailSet(last, false));
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
   * Deletes a blob, manifest or index: its entries (tags included) leave index.json first, then
   * the file goes, so index.json never names a deleted manifest (with auto-save off, it does
   * until {@link #saveIndex()}). What it points at stays until {@link #gc()}.
   *
   * @param target the content
   * @throws NotFoundException if the layout does not have it
   * @throws IOException if index.json or the blob cannot be written
   */
  @Override
  public void delete(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    Path blob = LayoutFiles.blobPath(root, target.digest());
    contentLock.writeLock().lock();
    try {
      if (!Files.exists(blob)) {
        throw notFound(target);
      }
      updateIndex(doc -> doc.withoutDigest(target.digest()));
      try {
        Files.delete(blob);
      } catch (NoSuchFileException e) {
        throw notFound(target);
      }
      LayoutFiles.syncDirectory(blob.getParent());
      walker.forget(target);
    } finally {
      contentLock.writeLock().unlock();
    }
  }

  /**
   * Removes every blob that is not reachable from index.json: not listed there, not pointed at
   * (as config, layer, manifest or subject) by anything listed, transitively. Referrers of
   * reachable manifests (manifests whose {@code subject} is reachable) are kept, even when
   * index.json does not list them. Also removes temporary files that pushes of dead processes
   * left behind. Unsaved index changes are saved first.
   *
   * <p>Excludes other calls of this store and index.json updates of other processes while it
   * runs; a blob another process has pushed but not yet tagged can be collected, as with every
   * layout tool, so do not collect a layout other processes are writing to.
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
    IndexDocument doc;
    synchronized (monitor) {
      doc = reloadUnderLock();
      saveUnderLock(doc);
    }
    Map<Digest, Descriptor> reachable = new LinkedHashMap<>();
    GraphWalker.reachable(this::fetchForWalk, options.maxMetadataBytes(), doc.entries(), reachable);
    Map<Digest, Long> candidates = unreachableBlobs(reachable);
    keepReferrers(candidates, reachable);
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
    int temps = removeAbandonedUnderLock();
    GcResult result = new GcResult(removed, bytes, temps);
    LOG.log(System.Logger.Level.DEBUG, () -> root + ": gc " + result);
    return result;
  }

  private Map<Digest, Long> unreachableBlobs(Map<Digest, Descriptor> reachable) throws IOException {
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
            if (digest != null && !reachable.containsKey(digest) && Files.isRegularFile(file)) {
              out.put(digest, Files.size(file));
            }
          }
        }
      }
    }
    return out;
  }

  /** Moves referrers of reachable manifests (and their graphs) from the candidates to the reachable set. */
  private void keepReferrers(Map<Digest, Long> candidates, Map<Digest, Descriptor> reachable) throws IOException {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<Digest, Long> candidate : List.copyOf(candidates.entrySet())) {
        if (!candidates.containsKey(candidate.getKey()) || candidate.getValue() > options.maxMetadataBytes()) {
          continue;
        }
        Descriptor referrer = referrerOf(candidate.getKey(), candidate.getValue(), reachable);
        if (referrer != null) {
          GraphWalker.reachable(this::fetchForWalk, options.maxMetadataBytes(), List.of(referrer), reachable);
          candidates.keySet().removeAll(reachable.keySet());
          changed = true;
        }
      }
    }
  }

  /** The descriptor of a blob that is a manifest whose subject is reachable, or null. */
  private @Nullable Descriptor referrerOf(Digest digest, long size, Map<Digest, Descriptor> reachable) {
    try {
      byte[] bytes = LayoutFiles.readSmallFile(LayoutFiles.blobPath(root, digest), options.maxMetadataBytes());
      int first = 0;
      while (first < bytes.length && Character.isWhitespace(bytes[first])) {
        first++;
      }
      if (first >= bytes.length || bytes[first] != '{') {
        return null;
      }
      JsonNode tree = Json.tree(bytes, "manifest");
      JsonNode subject = tree.path("subject").path("digest");
      Digest subjectDigest = Digest.tryParse(subject.isTextual() ? subject.asText() : null).orElse(null);
      if (subjectDigest == null || !reachable.containsKey(subjectDigest)) {
        return null;
      }
      String mediaType = tree.path("mediaType").isTextual() ? tree.path("mediaType").asText() : MediaTypes.OCI_MANIFEST;
      return Descriptor.of(mediaType, digest, size);
    } catch (IOException e) {
      return null; // not JSON: not a referrer
    }
  }

  private void removeAbandonedFiles() {
    try {
      layoutLock.locked(this::removeAbandonedUnderLock);
    } catch (IOException e) {
      // a read-only layout: nothing to clean, and nothing we could clean
      LOG.log(System.Logger.Level.DEBUG, () -> root + ": cannot clean temporary files: " + e.getMessage());
    }
  }

  private int removeAbandonedUnderLock() {
    int removed = Ingestion.removeAbandoned(ingestDir);
    // index.json temporaries are only written under the layout lock, which we hold: any left is stale.
    try (DirectoryStream<Path> files = Files.newDirectoryStream(root,
        p -> LayoutFiles.isTempFileOf(p.getFileName().toString(), LayoutFiles.INDEX_FILE))) {
      for (Path file : files) {
        if (Files.deleteIfExists(file)) {
          removed++;
          LOG.log(System.Logger.Level.INFO, () -> "removed abandoned temporary file " + file);
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> root + ": cannot clean index temporaries: " + e.getMessage());
    }
    return removed;
  }

  // ---------------------------------------------------------------- index.json

  /**
   * Writes the changes kept in memory (auto-save off) to index.json: under the layout's file
   * lock, index.json is re-read and the changes are replayed onto it, so changes other processes
   * saved meanwhile are kept. With auto-save on there is never anything to save.
   *
   * @throws IOException if index.json cannot be read or written
   */
  public void saveIndex() throws IOException {
    List<Descriptor> entries = layoutLock.locked(() -> {
      synchronized (monitor) {
        saveUnderLock(reloadUnderLock());
        return index.entries();
      }
    });
    walker.walk(entries);
  }

  private IndexDocument currentIndex() {
    synchronized (monitor) {
      return index;
    }
  }

  private void updateIndex(UnaryOperator<IndexDocument> change) throws IOException {
    if (!options.autoSaveIndex()) {
      synchronized (monitor) {
        index = change.apply(index);
        pending.add(change);
      }
      return;
    }
    // The layout lock first, the monitor only around the file's read and write: readers of this
    // store are not held up while another process holds the layout lock.
    List<Descriptor> entries = layoutLock.locked(() -> {
      synchronized (monitor) {
        saveUnderLock(change.apply(reloadUnderLock()));
        return index.entries();
      }
    });
    walker.walk(entries); // entries other processes added: index their graphs too
  }

  /** Re-reads index.json (the lock held) and replays unsaved changes onto it. */
  private IndexDocument reloadUnderLock() throws IOException {
    FileStamp current = stampOf(indexFile);
    IndexDocument doc = readIndexFile();
    onDisk = doc;
    for (UnaryOperator<IndexDocument> change : pending) {
      doc = change.apply(doc);
    }
    index = doc;
    stamp = current;
    return doc;
  }

  /** Writes a document if it differs from the file (the lock held, {@link #reloadUnderLock()} just run). */
  private void saveUnderLock(IndexDocument next) throws IOException {
    if (!next.equals(onDisk)) {
      LayoutFiles.writeAtomically(indexFile, next.toJson());
      onDisk = next;
    }
    pending.clear();
    index = next;
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
      for (UnaryOperator<IndexDocument> change : pending) {
        doc = change.apply(doc);
      }
      index = doc;
      stamp = current;
      entries = doc.entries();
    }
    walker.walk(entries);
  }

  private IndexDocument readIndexFile() throws IOException {
    byte[] bytes;
    try {
      bytes = LayoutFiles.readSmallFile(indexFile, options.maxIndexBytes());
    } catch (NoSuchFileException e) {
      throw new ContentException(indexFile + ": missing; the layout is incomplete: restore index.json", e);
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
   * Writes the whole layout (index.json as it is, and every blob) as a tar
   * archive, the {@code oci-archive} format of skopeo: a single file to carry into an
   * air-gapped site. The archive is written to a temporary file next to {@code target} and
   * renamed when complete, so {@code target} is never a partial archive.
   *
   * @param target the tar file to create or replace
   * @throws NotFoundException if a blob reachable from index.json is missing
   * @throws DigestMismatchException if a blob is corrupt (nothing is written then)
   * @throws IOException if reading or writing fails
   */
  public void exportArchive(Path target) throws IOException {
    exportTo(target, null);
  }

  /**
   * Writes the graphs of chosen tags, with the referrers of every manifest in them, as a tar
   * archive in the {@code oci-archive} format; its index.json lists the tags (and the referrers,
   * untagged). Written to a temporary file and renamed when complete.
   *
   * @param target the tar file to create or replace
   * @param tags the tags to export, at least one
   * @throws NotFoundException if a tag or a blob of its graph is missing
   * @throws DigestMismatchException if a blob is corrupt (nothing is written then)
   * @throws IllegalArgumentException if {@code tags} is empty
   * @throws IOException if reading or writing fails
   */
  public void exportArchive(Path target, Collection<String> tags) throws IOException {
    exportTo(target, requireTags(tags));
  }

  /**
   * Streams the whole layout as a tar archive (see {@link #exportArchive(Path)}). The stream is
   * flushed, not closed; on failure it holds a partial archive.
   *
   * @param out where to write
   * @throws IOException if reading or writing fails
   */
  public void exportArchive(OutputStream out) throws IOException {
    export(out, null);
  }

  /**
   * Streams the graphs of chosen tags as a tar archive (see {@link #exportArchive(Path, Collection)}).
   * The stream is flushed, not closed; on failure it holds a partial archive.
   *
   * @param out where to write
   * @param tags the tags to export, at least one
   * @throws IllegalArgumentException if {@code tags} is empty
   * @throws IOException if reading or writing fails
   */
  public void exportArchive(OutputStream out, Collection<String> tags) throws IOException {
    export(out, requireTags(tags));
  }

  private static List<String> requireTags(Collection<String> tags) {
    Objects.requireNonNull(tags, "tags");
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("no tags to export; use exportArchive(target) for the whole layout");
    }
    return List.copyOf(tags);
  }

  private void exportTo(Path target, @Nullable List<String> tags) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path temp = absolute.resolveSibling(absolute.getFileName() + "_" + LayoutFiles.randomSuffix());
    boolean done = false;
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), 1 << 16)) {
        export(out, tags);
      }
      try (var channel = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      LayoutFiles.move(temp, absolute);
      done = true;
      LayoutFiles.syncDirectory(absolute.getParent());
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot create a temporary file next to " + absolute, e);
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private void export(OutputStream out, @Nullable List<String> tags) throws IOException {
    Objects.requireNonNull(out, "out");
    contentLock.readLock().lock();
    try {
      refreshIfChanged();
      IndexDocument doc = currentIndex();
      List<Descriptor> roots = tags == null ? doc.entries() : taggedRoots(doc, tags);
      Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
      GraphWalker.reachable(this::fetchForWalk, options.maxMetadataBytes(), roots, blobs);
      if (tags == null) {
        // the whole layout is copied faithfully: blobs nothing reachable names go along too
        for (Map.Entry<Digest, Long> other : new TreeMap<>(unreachableBlobs(blobs)).entrySet()) {
          blobs.put(other.getKey(), Descriptor.of(MediaTypes.OCTET_STREAM, other.getKey(), other.getValue()));
        }
      } else {
        List<Descriptor> referrers = addReferrers(blobs);
        List<Descriptor> entries = new ArrayList<>(roots);
        entries.addAll(referrers);
        doc = doc.with(entries);
      }
      ArchiveWriter.write(out, doc, blobs.values(), this::fetchVerified);
    } finally {
      contentLock.readLock().unlock();
    }
  }

  private InputStream fetchVerified(Descriptor target) throws IOException {
    return new VerifyingInputStream(openBlob(target), target);
  }

  private static List<Descriptor> taggedRoots(IndexDocument doc, List<String> tags) throws NotFoundException {
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

  /** Adds the referrers of every node in {@code blobs} (and their graphs), transitively; returns the referrers. */
  private List<Descriptor> addReferrers(Map<Digest, Descriptor> blobs) throws IOException {
    List<Descriptor> referrers = new ArrayList<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Descriptor node : List.copyOf(blobs.values())) {
        for (Descriptor predecessor : walker.graph().predecessors(node)) {
          if (blobs.containsKey(predecessor.digest()) || !exists(predecessor)) {
            continue;
          }
          Descriptor referrer = referrerOf(predecessor.digest(), predecessor.size(), blobs);
          if (referrer != null) {
            Descriptor entry = predecessor.plain().withArtifactType(predecessor.artifactType());
            referrers.add(entry);
            GraphWalker.reachable(this::fetchForWalk, options.maxMetadataBytes(), List.of(entry), blobs);
            changed = true;
          }
        }
      }
    }
    return referrers;
  }

  private static NotFoundException notFound(Descriptor desc) {
    return new NotFoundException(desc.digest() + ": " + desc.mediaType() + ": not found", desc.digest());
  }

  @Override
  public String toString() {
    return "OciLayoutStore[" + root + "]";
  }
}
