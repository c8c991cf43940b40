package dev.stevedore.content.file;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.Digester;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Resolver;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.Storage;
import dev.stevedore.content.Successors;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.VerifyingInputStream;
import dev.stevedore.content.file.FileStoreException.Reason;
import dev.stevedore.content.internal.DurableWrite;
import dev.stevedore.content.internal.GraphIndex;
import dev.stevedore.content.memory.MemoryStore;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * A store whose named blobs are files in a working directory: the store behind "push these files"
 * and "pull this artifact into this directory", with the semantics of oras-go's {@code file.Store}.
 *
 * <h2>Content in</h2>
 *
 * {@link #add(String, String, Path)} describes a file or directory under a name without copying it:
 * a regular file becomes a blob (default media type {@value MediaTypes#OCI_LAYER}); a directory is
 * packed into a tar+gzip blob in a temporary file (default media type {@value
 * MediaTypes#OCI_LAYER_GZIP}) annotated with {@code io.deis.oras.content.digest} (the digest of the
 * uncompressed tar) and {@code io.deis.oras.content.unpack = "true"}. Either way the descriptor
 * carries {@code org.opencontainers.image.title = name}.
 *
 * <h2>Content out</h2>
 *
 * {@link #push} of a blob with a title writes {@code workingDir/<title>}: the content is streamed
 * to a hidden temporary file beside the target, verified (size, then digest), synced and moved into
 * place. A directory blob (unpack annotation, unless {@link FileStoreOptions#skipUnpack()}) is
 * verified against both digests and unpacked into {@code workingDir/<title>/} with files,
 * directories, permission bits, modification times, symbolic and hard links; it is unpacked into a
 * hidden staging directory first and moved into place only when complete, and merged into a
 * directory that is already there. Blobs without a title (manifests, configs) go to the fallback
 * storage (an in-memory store by default, limited to {@link
 * FileStoreOptions#fallbackPushSizeLimit()} per blob), or are discarded with {@link
 * FileStoreOptions#ignoreNoName()}. Tags and the predecessor index live in memory, so a file store
 * cannot be reopened from its directory.
 *
 * <h2>Bad input</h2>
 *
 * Refused with a {@link FileStoreException}, with nothing written: a title with {@code ..} that
 * leads out of the working directory, an absolute title, or a title reached through a symbolic link
 * that leads out (unless {@link FileStoreOptions#allowPathTraversalOnWrite()}); a title that names
 * an existing file when {@link FileStoreOptions#disableOverwrite()} is set; a name added or written
 * twice; tar entries that escape the target directory, links that point outside it, entries written
 * through links, device files. A directory blob whose uncompressed tar does not match its
 * annotation is a {@link DigestMismatchException}. A directory blob that decompresses to more than
 * {@link FileStoreOptions#unpackLimit(long)} (the smaller of 16 GiB and 1,000 times its size, by
 * default) is refused part-way with {@link FileStoreException.Reason#UNPACK_LIMIT_EXCEEDED}, and
 * what was unpacked so far is removed.
 *
 * <h2>A killed pull</h2>
 *
 * A process killed while writing leaves its hidden temporary files beside their targets ({@code
 * .stevedore-<16 hex>.partial}, {@code .stevedore-<16 hex>.unpack} and its {@code .unpack.lock}).
 * Each is locked (an OS file lock) while its writer lives; the first write of a store into a
 * directory removes the ones there whose lock is free, i.e. whose process died, and never those of
 * a pull still running, in another process or in this JVM.
 *
 * <h2>Fetching</h2>
 *
 * A descriptor with a title is found only if that name was added or written in this store. Content
 * read from the working directory is verified as it is read, since files may change on disk.
 * Resolving accepts tags and digests.
 *
 * <p>Thread-safe. Operations on one name are serialized. {@link #close()} waits for running
 * operations, then deletes the store's temporary files (packed directories, received directory
 * blobs, leftovers of failed writes); every later call throws {@link IllegalStateException}.
 * Streams returned by {@link #fetch} before closing stay readable on POSIX file systems.
 */
public final class FileStore implements GraphTarget, Closeable {
  private static final System.Logger LOG = System.getLogger(FileStore.class.getName());
  private static final int BUFFER = 64 * 1024;

  private final Path workingDir;
  private final FileStoreOptions options;
  private final Storage fallback;
  private final boolean limitFallback;
  private final ConcurrentHashMap<String, NameSlot> names = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Digest, Located> located = new ConcurrentHashMap<>();
  private final Object tagLock = new Object();
  private final Map<String, Descriptor> tags = new HashMap<>();
  private final GraphIndex graph = new GraphIndex();
  private final TempFiles temp;

  /** Directories already cleaned of abandoned partial files. */
  private final Set<Path> cleaned = ConcurrentHashMap.newKeySet();

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  /** One name's lock and, once the name is taken, the digest of its content. */
  private static final class NameSlot {
    final ReentrantLock lock = new ReentrantLock();
    volatile @Nullable Digest digest;
  }

  /** Where the content of a digest lies on disk, and the descriptor it was stored under. */
  private record Located(Path path, Descriptor descriptor) {}

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }

  @FunctionalInterface
  private interface IoStep {
    void run() throws IOException;
  }

  private FileStore(
      Path workingDir, FileStoreOptions options, Storage fallback, boolean limitFallback) {
    this.workingDir = workingDir;
    this.options = options;
    this.fallback = fallback;
    this.limitFallback = limitFallback;
    this.temp = new TempFiles(options.temporaryDirectory());
  }

  /**
   * Opens a file store with default options on a working directory. The directory need not exist
   * yet: it is created on the first write.
   *
   * @param workingDir the working directory, relative to the current directory or absolute
   * @return the store
   */
  public static FileStore open(Path workingDir) {
    return open(workingDir, FileStoreOptions.defaults());
  }

  /**
   * Opens a file store on a working directory, with an in-memory fallback storage for blobs without
   * a title that accepts blobs up to {@link FileStoreOptions#fallbackPushSizeLimit()}.
   *
   * @param workingDir the working directory; created on the first write if missing
   * @param options the options
   * @return the store
   */
  public static FileStore open(Path workingDir, FileStoreOptions options) {
    Objects.requireNonNull(options, "options");
    return new FileStore(
        absolute(workingDir), options, new MemoryStore(options.maxMetadataBytes()), true);
  }

  /**
   * Opens a file store on a working directory with a fallback storage of the caller's, without size
   * limit, for blobs without a title. The store does not close the fallback.
   *
   * @param workingDir the working directory; created on the first write if missing
   * @param options the options
   * @param fallback where blobs without a title go; when it is a {@link Resolver}, digests of its
   *     content resolve through it
   * @return the store
   */
  public static FileStore open(Path workingDir, FileStoreOptions options, Storage fallback) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(fallback, "fallback");
    return new FileStore(absolute(workingDir), options, fallback, false);
  }

  private static Path absolute(Path workingDir) {
    return Objects.requireNonNull(workingDir, "workingDir").toAbsolutePath().normalize();
  }

  /**
   * The working directory, absolute.
   *
   * @return the directory named blobs are written to and added names are resolved against
   */
  public Path workingDirectory() {
    return workingDir;
  }

  /**
   * The options this store was opened with.
   *
   * @return the options
   */
  public FileStoreOptions options() {
    return options;
  }

  /**
   * Adds a file or directory with the default media type; see {@link #add(String, String, Path)}.
   *
   * @param name the name, which becomes the title annotation
   * @param path the file or directory; relative paths are resolved against the working directory
   * @return the blob's descriptor
   * @throws IOException as {@link #add(String, String, Path)}
   */
  public Descriptor add(String name, Path path) throws IOException {
    return add(name, null, path);
  }

  /**
   * Adds a file or directory to the store under a name, as oras-go's {@code Store.Add}.
   *
   * <p>A regular file (or a link to one) is digested where it lies and served from there; a
   * directory is packed into tar+gzip in a temporary file (see {@link
   * FileStoreOptions#tarReproducible()}) with regular files, directories and symbolic links (not
   * followed); hard links become regular files. The returned descriptor carries the title
   * annotation, and for a directory the {@code io.deis.oras.content.digest} and {@code
   * io.deis.oras.content.unpack} annotations.
   *
   * @param name the name, which becomes the {@code org.opencontainers.image.title} annotation
   * @param mediaType the media type, or null (or empty) for {@value MediaTypes#OCI_LAYER} (a file)
   *     or {@value MediaTypes#OCI_LAYER_GZIP} (a directory)
   * @param path the file or directory, or null for {@code name} itself; relative paths are resolved
   *     against the working directory
   * @return the blob's descriptor
   * @throws FileStoreException with {@link Reason#DUPLICATE_NAME} if the name is already in use,
   *     {@link Reason#INVALID_NAME} if it is empty
   * @throws NotFoundException if the path does not exist
   * @throws UnsupportedContentException if the path (or, for a directory, something in it) is a
   *     socket, device or FIFO
   * @throws IOException if reading or packing fails
   * @throws IllegalStateException if the store is closed
   */
  public Descriptor add(String name, @Nullable String mediaType, @Nullable Path path)
      throws IOException {
    Objects.requireNonNull(name, "name");
    return guarded(() -> addOpen(name, mediaType, path));
  }

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    return guarded(() -> fetchOpen(target));
  }

  @Override
  public boolean exists(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    return guarded(() -> existsOpen(target));
  }

  /**
   * Stores content. With a title annotation the content is written to {@code workingDir/<title>}
   * (unpacked when it is a directory blob), otherwise it goes to the fallback storage, or nowhere
   * with {@link FileStoreOptions#ignoreNoName()} (the stream is then not read). Manifests are
   * indexed for {@link #predecessors}; unless {@link FileStoreOptions#forceCas()}, named layers of
   * a pushed manifest whose content is in the store under another name are written under their own
   * name too.
   *
   * @param expected the descriptor the content must match
   * @param content the content, read to its end, not closed
   * @throws AlreadyExistsException if this name already holds this content, or the fallback has it
   * @throws FileStoreException if the title is refused (see {@link Reason}) or a directory blob
   *     holds an unsafe entry
   * @throws DigestMismatchException if the content, or a directory blob's uncompressed tar, does
   *     not match
   * @throws SizeLimitExceededException if content without a title exceeds the fallback limit
   * @throws IOException if writing fails
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void push(Descriptor expected, InputStream content) throws IOException {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(content, "content");
    guardedRun(() -> pushOpen(expected, content));
  }

  /**
   * Resolves a tag, or the digest of content in the store.
   *
   * @param reference a tag or a digest
   * @return the tagged descriptor; for a digest, the descriptor the content was stored under
   * @throws InvalidReferenceException if the reference is empty
   * @throws NotFoundException if nothing is known under it
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public Descriptor resolve(String reference) throws IOException {
    Objects.requireNonNull(reference, "reference");
    return guarded(() -> resolveOpen(reference));
  }

  /**
   * Tags content of this store; an existing tag is moved. Tags live in memory only.
   *
   * @param desc the content
   * @param reference the tag, any non-empty string
   * @throws InvalidReferenceException if the reference is empty
   * @throws NotFoundException if the content is not in the store
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public void tag(Descriptor desc, String reference) throws IOException {
    Objects.requireNonNull(desc, "desc");
    Objects.requireNonNull(reference, "reference");
    guardedRun(
        () -> {
          if (reference.isEmpty()) {
            throw new InvalidReferenceException("empty reference: give a tag");
          }
          if (!existsOpen(desc)) {
            throw notFound(desc);
          }
          synchronized (tagLock) {
            tags.put(reference, desc);
          }
        });
  }

  /**
   * The manifests pushed to this store that point at a node.
   *
   * @param node the node
   * @return its predecessors, possibly empty
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public List<Descriptor> predecessors(Descriptor node) throws IOException {
    Objects.requireNonNull(node, "node");
    return guarded(() -> graph.predecessors(node));
  }

  /**
   * Closes the store: waits for running operations, then deletes its temporary files. Files written
   * into the working directory stay. Closing twice does nothing.
   *
   * @throws IOException naming the temporary files that could not be deleted
   */
  @Override
  public void close() throws IOException {
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      temp.deleteAll();
    } finally {
      lock.unlock();
    }
  }

  /** The store's private temporary directory, if it made one; for tests. */
  @Nullable Path temporaryDirectory() {
    return temp.directory();
  }

  @Override
  public String toString() {
    return "FileStore[" + workingDir + "]";
  }

  // ---- operations, called with the lifecycle read lock held ----

  private <T> T guarded(IoCall<T> call) throws IOException {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(
            "the file store on " + workingDir + " is closed; open a new one");
      }
      return call.call();
    } finally {
      lock.unlock();
    }
  }

  private void guardedRun(IoStep step) throws IOException {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(
            "the file store on " + workingDir + " is closed; open a new one");
      }
      step.run();
    } finally {
      lock.unlock();
    }
  }

  private Descriptor addOpen(String name, @Nullable String mediaType, @Nullable Path path)
      throws IOException {
    if (name.isEmpty()) {
      throw new FileStoreException(
          Reason.INVALID_NAME, name, "cannot add a file without a name; give it a name");
    }
    NameSlot slot = slot(name);
    lockInterruptibly(slot);
    try {
      if (slot.digest != null) {
        throw duplicateName(name);
      }
      Path source = resolveSource(name, path);
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(source, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        throw new NotFoundException("cannot add " + name + ": " + source + " does not exist", e);
      }
      Descriptor desc;
      Path servedFrom;
      if (attrs.isDirectory()) {
        servedFrom = temp.newBlobFile(".tar.gz");
        desc = describeDirectory(name, mediaType, source, servedFrom);
      } else if (attrs.isRegularFile()) {
        servedFrom = source;
        desc = describeFile(name, mediaType, source);
      } else {
        throw new UnsupportedContentException(
            "cannot add " + name + ": " + source + " is neither a regular file nor a directory");
      }
      located.put(desc.digest(), new Located(servedFrom, desc));
      slot.digest = desc.digest();
      LOG.log(System.Logger.Level.DEBUG, () -> "added " + name + " from " + source + " as " + desc);
      return desc;
    } finally {
      slot.lock.unlock();
    }
  }

  private Path resolveSource(String name, @Nullable Path path) throws IOException {
    try {
      return path == null ? workingDir.resolve(name) : workingDir.resolve(path);
    } catch (InvalidPathException e) {
      throw new FileStoreException(
          Reason.INVALID_NAME,
          name,
          "cannot add " + name + ": not a valid path: " + e.getMessage(),
          e);
    }
  }

  private Descriptor describeFile(String name, @Nullable String mediaType, Path file)
      throws IOException {
    Digester digester = Digester.sha256();
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digester.update(buffer, 0, n);
      }
    }
    long size = digester.count();
    Digest digest = digester.digest();
    return new Descriptor(
        orDefault(mediaType, MediaTypes.OCI_LAYER),
        digest,
        size,
        List.of(),
        Map.of(Annotations.TITLE, name),
        null,
        null,
        null);
  }

  private Descriptor describeDirectory(String name, @Nullable String mediaType, Path dir, Path gzip)
      throws IOException {
    try {
      DirectoryPacker.Packed packed;
      try (FileChannel channel =
              FileChannel.open(
                  gzip, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER)) {
        packed = DirectoryPacker.pack(dir, name, options.tarReproducible(), out);
      }
      return new Descriptor(
          orDefault(mediaType, MediaTypes.OCI_LAYER_GZIP),
          packed.gzipDigest(),
          packed.gzipSize(),
          List.of(),
          Map.of(
              Annotations.TITLE,
              name,
              Annotations.ORAS_CONTENT_DIGEST,
              packed.tarDigest().toString(),
              Annotations.ORAS_CONTENT_UNPACK,
              "true"),
          null,
          null,
          null);
    } catch (IOException | RuntimeException | Error e) {
      discardQuietly(gzip, e);
      throw e;
    }
  }

  private static String orDefault(@Nullable String mediaType, String fallbackType) {
    return mediaType == null || mediaType.isEmpty() ? fallbackType : mediaType;
  }

  private InputStream fetchOpen(Descriptor target) throws IOException {
    String name = title(target);
    if (name != null && !nameExists(name)) {
      throw new NotFoundException(
          name + ": " + target.mediaType() + ": not found in " + this, target.digest());
    }
    Located loc = located.get(target.digest());
    if (loc != null && loc.descriptor().size() == target.size()) {
      try {
        return new VerifyingInputStream(Files.newInputStream(loc.path()), target);
      } catch (NoSuchFileException e) {
        throw new NotFoundException(
            target.digest()
                + ": "
                + target.mediaType()
                + ": the file "
                + loc.path()
                + " that held it is gone",
            target.digest(),
            null,
            e);
      }
    }
    return fallback.fetch(target);
  }

  private boolean existsOpen(Descriptor target) throws IOException {
    String name = title(target);
    if (name != null && !nameExists(name)) {
      return false;
    }
    Located loc = located.get(target.digest());
    if (loc != null
        && loc.descriptor().size() == target.size()
        && Files.isRegularFile(loc.path())) {
      return true;
    }
    return fallback.exists(target);
  }

  private Descriptor resolveOpen(String reference) throws IOException {
    if (reference.isEmpty()) {
      throw new InvalidReferenceException("empty reference: give a tag or a digest");
    }
    synchronized (tagLock) {
      Descriptor tagged = tags.get(reference);
      if (tagged != null) {
        return tagged;
      }
    }
    Digest digest = Digest.tryParse(reference).orElse(null);
    if (digest != null) {
      Located loc = located.get(digest);
      if (loc != null) {
        return loc.descriptor();
      }
      if (fallback instanceof Resolver resolver) {
        return resolver.resolve(reference);
      }
    }
    throw new NotFoundException(reference + ": not found in " + this, reference);
  }

  private void pushOpen(Descriptor expected, InputStream content) throws IOException {
    String name = title(expected);
    if (name == null) {
      if (options.ignoreNoName()) {
        LOG.log(System.Logger.Level.DEBUG, () -> "discarded " + expected + ": it has no name");
        return;
      }
      pushUnnamed(expected, content);
      return;
    }
    pushNamed(name, expected, content);
    if (Successors.mayHaveSuccessors(expected.mediaType())
        && expected.size() <= options.maxMetadataBytes()) {
      byte[] bytes = Contents.fetchAll(this::fetchOpen, expected, options.maxMetadataBytes());
      afterManifest(expected, Successors.parse(expected, bytes));
    }
  }

  private void pushUnnamed(Descriptor expected, InputStream content) throws IOException {
    if (limitFallback && expected.size() > options.fallbackPushSizeLimit()) {
      throw new SizeLimitExceededException(
          expected.digest()
              + ": "
              + expected.mediaType()
              + " of "
              + expected.size()
              + " bytes has no title and exceeds the "
              + options.fallbackPushSizeLimit()
              + "-byte limit of the file store's in-memory fallback; give it a title annotation, raise"
              + " FileStoreOptions.fallbackPushSizeLimit or open the store with a fallback storage of your own",
          options.fallbackPushSizeLimit());
    }
    if (Successors.mayHaveSuccessors(expected.mediaType())
        && expected.size() <= options.maxMetadataBytes()) {
      // A manifest is small: read and verify it once, index it from memory.
      byte[] bytes = Contents.readAll(content, expected, options.maxMetadataBytes());
      List<Descriptor> successors = Successors.parse(expected, bytes);
      fallback.push(expected, new ByteArrayInputStream(bytes));
      afterManifest(expected, successors);
      return;
    }
    fallback.push(expected, content);
  }

  private void afterManifest(Descriptor node, List<Descriptor> successors) throws IOException {
    if (!options.forceCas()) {
      restoreDuplicates(successors);
    }
    graph.index(node, successors);
  }

  /**
   * Writes the named successors whose name is not yet in the store but whose content is (under
   * another name, or deduplicated away by a copy), as oras-go does unless ForceCAS.
   */
  private void restoreDuplicates(List<Descriptor> successors) throws IOException {
    for (Descriptor successor : successors) {
      String name = title(successor);
      if (name == null || nameExists(name)) {
        continue;
      }
      try (InputStream in = fetchOpen(successor.plain())) {
        pushNamed(name, successor, in);
        LOG.log(
            System.Logger.Level.DEBUG,
            () -> "restored " + name + " from content already in the store");
      } catch (NotFoundException | AlreadyExistsException e) {
        // not here yet (a manifest may come before its blobs), or restored concurrently: nothing to
        // do
      } catch (FileStoreException e) {
        if (e.reason() != Reason.DUPLICATE_NAME) {
          throw e;
        }
      }
    }
  }

  private void pushNamed(String name, Descriptor expected, InputStream content) throws IOException {
    NameSlot slot = slot(name);
    lockInterruptibly(slot);
    try {
      Digest existing = slot.digest;
      if (existing != null) {
        if (existing.equals(expected.digest())) {
          throw new AlreadyExistsException(
              name + ": " + expected.digest() + ": already exists in " + this);
        }
        throw duplicateName(name);
      }
      Path target = writePath(name);
      boolean unpack =
          "true".equals(expected.annotation(Annotations.ORAS_CONTENT_UNPACK))
              && !options.skipUnpack();
      Path servedFrom =
          unpack
              ? writeDirectory(name, target, expected, content)
              : writeFile(name, target, expected, content);
      located.put(expected.digest(), new Located(servedFrom, expected));
      slot.digest = expected.digest();
      LOG.log(System.Logger.Level.DEBUG, () -> "wrote " + expected + " to " + target);
    } finally {
      slot.lock.unlock();
    }
  }

  /** The path a title is written to, after the traversal and overwrite checks. */
  private Path writePath(String name) throws IOException {
    Path relative;
    try {
      relative = workingDir.getFileSystem().getPath(name);
    } catch (InvalidPathException e) {
      throw new FileStoreException(
          Reason.INVALID_NAME,
          name,
          "cannot write " + name + ": not a valid path: " + e.getMessage(),
          e);
    }
    Path target;
    if (options.allowPathTraversalOnWrite()) {
      target = (relative.isAbsolute() ? relative : workingDir.resolve(relative)).normalize();
    } else {
      if (relative.isAbsolute() || name.startsWith("/")) {
        throw traversal(name, "it is an absolute path");
      }
      target = workingDir.resolve(relative).normalize();
      if (!target.startsWith(workingDir)) {
        throw traversal(name, "its .. elements lead out of the working directory");
      }
      Files.createDirectories(workingDir);
      if (!Trees.resolvesWithin(workingDir.toRealPath(), target)) {
        throw traversal(name, "a symbolic link on the way leads out of the working directory");
      }
    }
    if (target.equals(workingDir) || target.getParent() == null) {
      throw new FileStoreException(
          Reason.INVALID_NAME,
          name,
          "cannot write "
              + name
              + ": it names "
              + (target.getParent() == null
                  ? "the file system root"
                  : "the working directory itself")
              + "; give the blob a title below the working directory");
    }
    if (options.disableOverwrite() && Files.exists(target, Trees.NOFOLLOW)) {
      throw overwriteDisallowed(name, target);
    }
    return target;
  }

  private Path writeFile(String name, Path target, Descriptor expected, InputStream content)
      throws IOException {
    if (Files.isDirectory(target, Trees.NOFOLLOW)) {
      throw new FileStoreException(
          Reason.PATH_CONFLICT,
          name,
          "cannot write "
              + name
              + ": "
              + target
              + " is a directory and a file cannot replace it; remove it or pull into another working directory");
    }
    // writePath refuses a target without a parent, so there is one
    Path parent = Objects.requireNonNull(target.getParent(), "target has no parent");
    Files.createDirectories(parent);
    cleanOnce(parent);
    TempFiles.Partial partial = temp.newPartialFile(parent);
    try {
      // the channel stays open (its lock marks the file live) until the file is installed; a
      // stream that verifies itself (the copy engine's over a verified download) is not hashed
      // twice, and it still throws before its end on a mismatch
      DurableWrite.write(
          VerifyingInputStream.wrap(content, expected),
          partial.channel(),
          expected.size(),
          true,
          "write of " + name);
      install(name, partial.path(), target);
      temp.forget(partial.path());
      return target;
    } catch (IOException | RuntimeException | Error e) {
      discardQuietly(partial.path(), e);
      throw e;
    }
  }

  private Path writeDirectory(String name, Path target, Descriptor expected, InputStream content)
      throws IOException {
    Digest tarDigest = contentDigest(name, expected);
    Path gzip = temp.newBlobFile(".tar.gz");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(gzip), BUFFER)) {
        VerifyingInputStream.wrap(content, expected).transferTo(out);
      }
      // writePath refuses a target without a parent, so there is one
      Path parent = Objects.requireNonNull(target.getParent(), "target has no parent");
      Files.createDirectories(parent);
      cleanOnce(parent);
      Path staging = temp.newStagingDirectory(parent);
      List<DirectoryUnpacker.DirectoryAttributes> dirs;
      try {
        dirs =
            DirectoryUnpacker.unpack(
                gzip,
                name,
                tarDigest,
                staging,
                options.unpackLimit(expected.size()),
                "the smaller of maxUnpackedBytes "
                    + options.maxUnpackedBytes()
                    + " and maxUnpackRatio "
                    + options.maxUnpackRatio()
                    + " x the compressed size "
                    + expected.size());
        installTree(name, staging, target);
      } catch (IOException | RuntimeException | Error e) {
        discardQuietly(staging, e);
        throw e;
      }
      temp.discard(staging); // what a merge left behind: empty directories
      for (DirectoryUnpacker.DirectoryAttributes dir : dirs) {
        // After the move or merge every directory of the archive is a real directory here.
        Path path = dir.relative().isEmpty() ? target : target.resolve(dir.relative());
        if (Files.isDirectory(path, Trees.NOFOLLOW)) {
          Trees.setMode(path, dir.mode());
          Files.setLastModifiedTime(path, dir.time());
        }
      }
      return gzip;
    } catch (IOException | RuntimeException | Error e) {
      discardQuietly(gzip, e);
      throw e;
    }
  }

  private static @Nullable Digest contentDigest(String name, Descriptor expected)
      throws InvalidDescriptorException {
    String value = expected.annotation(Annotations.ORAS_CONTENT_DIGEST);
    if (value == null) {
      return null;
    }
    try {
      return Digest.parse(value);
    } catch (InvalidDescriptorException e) {
      throw new InvalidDescriptorException(
          "cannot unpack "
              + name
              + ": its "
              + Annotations.ORAS_CONTENT_DIGEST
              + " annotation is not a digest: "
              + e.getMessage(),
          e);
    }
  }

  /** Moves a verified file into place, replacing what is there unless overwriting is disabled. */
  private void install(String name, Path partial, Path target) throws IOException {
    if (options.disableOverwrite()) {
      try {
        Files.move(partial, target);
      } catch (FileAlreadyExistsException e) {
        throw overwriteDisallowed(name, target);
      }
      return;
    }
    Trees.move(partial, target);
  }

  /**
   * Moves an unpacked tree into place: renamed if nothing is there, merged into a directory,
   * replacing a file.
   */
  private void installTree(String name, Path staging, Path target) throws IOException {
    if (!Files.exists(target, Trees.NOFOLLOW)) {
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // created concurrently by someone else: fall through and treat it as existing
      }
    }
    if (options.disableOverwrite()) {
      throw overwriteDisallowed(name, target);
    }
    if (Files.isDirectory(target, Trees.NOFOLLOW)) {
      Trees.merge(staging, target, name);
      return;
    }
    Files.delete(target);
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Removes, once per directory and store, the partial files and staging directories that a killed
   * pull left in a directory this store writes into (see {@link TempFiles#removeAbandoned}).
   */
  private void cleanOnce(Path directory) {
    if (cleaned.add(directory)) {
      TempFiles.removeAbandoned(directory);
    }
  }

  private void discardQuietly(Path path, Throwable failure) {
    try {
      temp.discard(path);
    } catch (IOException cleanup) {
      failure.addSuppressed(cleanup);
    }
  }

  // ---- names ----

  private NameSlot slot(String name) {
    return names.computeIfAbsent(name, n -> new NameSlot());
  }

  private boolean nameExists(String name) {
    NameSlot slot = names.get(name);
    return slot != null && slot.digest != null;
  }

  private static void lockInterruptibly(NameSlot slot) throws IOException {
    try {
      slot.lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "interrupted while waiting for another operation on the same name");
    }
  }

  private static @Nullable String title(Descriptor desc) {
    String name = desc.annotation(Annotations.TITLE);
    return name == null || name.isEmpty() ? null : name;
  }

  private FileStoreException duplicateName(String name) {
    return new FileStoreException(
        Reason.DUPLICATE_NAME,
        name,
        name
            + ": duplicate name: "
            + this
            + " already holds other content under this name; give the blob another title or use a fresh store");
  }

  private static FileStoreException traversal(String name, String why) {
    return new FileStoreException(
        Reason.PATH_TRAVERSAL,
        name,
        "refusing to write "
            + name
            + ": "
            + why
            + "; path traversal is disallowed (FileStoreOptions.allowPathTraversalOnWrite), nothing was written");
  }

  private static FileStoreException overwriteDisallowed(String name, Path target) {
    return new FileStoreException(
        Reason.OVERWRITE_DISALLOWED,
        name,
        "refusing to write "
            + name
            + ": "
            + target
            + " exists and overwriting is disabled (FileStoreOptions.disableOverwrite); remove it or pull into"
            + " another working directory");
  }

  private NotFoundException notFound(Descriptor desc) {
    return new NotFoundException(
        desc.digest() + ": " + desc.mediaType() + ": not found in " + this, desc.digest());
  }
}
