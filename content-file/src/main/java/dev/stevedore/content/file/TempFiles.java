package dev.stevedore.content.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The temporary files and directories of one store: packed directories and received directory blobs
 * (kept for fetching until the store closes), partial files and unpack staging directories (kept
 * only while a push runs). {@link #deleteAll()} deletes whatever is left. Thread-safe.
 *
 * <p>Partial files ({@code .stevedore-<16 hex>.partial}) and staging directories ({@code
 * .stevedore-<16 hex>.unpack}) lie beside their targets, in the user's directories, so a killed
 * process leaves them there. Each is marked live by a file lock held while it is in use: on the
 * partial file itself, and on a companion {@code .stevedore-<16 hex>.unpack.lock} for a staging
 * directory. {@link #removeAbandoned(Path)} removes those of a directory whose lock nobody holds —
 * left by a process that died — and never those of a running process (it holds the lock) or of this
 * JVM (tracked here, never even opened).
 */
final class TempFiles {
  /** Prefix of every partial file and staging directory the store puts next to its targets. */
  static final String PREFIX = ".stevedore-";

  private static final String LOCK_SUFFIX = ".lock";
  private static final Pattern OURS =
      Pattern.compile("\\.stevedore-[0-9a-f]{16}\\.(partial|unpack|unpack\\.lock)");
  private static final System.Logger LOG = System.getLogger(TempFiles.class.getName());

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The partial files, staging directories and lock files that stores of this JVM hold: never
   * opened by a cleaner, since closing any channel of a file drops the process's locks on it.
   */
  private static final Set<Path> JVM_LIVE = ConcurrentHashMap.newKeySet();

  private final @Nullable Path parent;
  private final Object dirLock = new Object();
  private final Set<Path> live = ConcurrentHashMap.newKeySet();

  /** The channel whose lock marks a partial file or staging directory live. */
  private final Map<Path, FileChannel> locks = new ConcurrentHashMap<>();

  private @Nullable Path dir;

  /**
   * Tracks the temporary files of one store.
   *
   * @param parent where to make the private temporary directory, or null for the system's
   */
  TempFiles(@Nullable Path parent) {
    this.parent = parent;
  }

  /**
   * A new, empty file in the store's private temporary directory, for blobs kept until close.
   *
   * @param suffix the file name suffix
   * @return the file
   * @throws IOException if it cannot be created
   */
  Path newBlobFile(String suffix) throws IOException {
    Path file = Files.createTempFile(dir(), "blob-", suffix);
    live.add(file);
    return file;
  }

  /**
   * A partial file, open for writing and locked until it is {@linkplain #forget forgotten} or
   * {@linkplain #discard discarded}; write through {@link #channel()} and do not close it.
   *
   * @param path the file
   * @param channel its open channel, holding its lock
   */
  record Partial(Path path, FileChannel channel) {}

  /**
   * A new, empty hidden file beside a target, for a write that is moved into place once verified.
   * It gets the default permissions of new files (as if created by the target's writer), not the
   * owner-only permissions of {@link Files#createTempFile}. It stays locked (marked live) until
   * forgotten or discarded.
   *
   * @param parent the target's directory
   * @return the file and its open, locked channel
   * @throws IOException if it cannot be created
   */
  Partial newPartialFile(Path parent) throws IOException {
    while (true) {
      Path file = parent.resolve(PREFIX + randomHex() + ".partial");
      FileChannel channel = createLocked(file);
      if (channel != null) {
        live.add(file);
        return new Partial(file, channel);
      }
    }
  }

  /**
   * Creates a file and locks it; null on a name clash or when a cleaner removed it before the lock.
   */
  private @Nullable FileChannel createLocked(Path file) throws IOException {
    JVM_LIVE.add(file);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      JVM_LIVE.remove(file);
      return null; // a name clash: draw again
    } catch (IOException | RuntimeException e) {
      JVM_LIVE.remove(file);
      throw e;
    }
    try {
      channel.lock();
      // A cleaner of another process may have taken the fresh file for abandoned before our lock;
      // it deletes only under the lock, so if the file is still there it is ours.
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        locks.put(file, channel);
        return channel;
      }
      channel.close();
      JVM_LIVE.remove(file);
      return null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(file);
      JVM_LIVE.remove(file);
      throw e;
    }
  }

  /**
   * A new, empty hidden directory beside a target, to unpack a directory blob into before it is
   * moved into place.
   *
   * @param parent the target's directory
   * @return the directory
   * @throws IOException if it cannot be created
   */
  Path newStagingDirectory(Path parent) throws IOException {
    while (true) {
      String base = PREFIX + randomHex() + ".unpack";
      Path staging = parent.resolve(base);
      Path lockFile = parent.resolve(base + LOCK_SUFFIX);
      FileChannel channel = createLocked(lockFile);
      if (channel == null) {
        continue;
      }
      try {
        JVM_LIVE.add(staging);
        Files.createDirectory(staging);
        locks.put(staging, locks.remove(lockFile));
        live.add(staging);
        return staging;
      } catch (IOException | RuntimeException e) {
        JVM_LIVE.remove(staging);
        locks.remove(lockFile);
        channel.close();
        Files.deleteIfExists(lockFile);
        JVM_LIVE.remove(lockFile);
        if (!(e instanceof FileAlreadyExistsException)) {
          throw e;
        }
        // a name clash: draw again
      }
    }
  }

  /**
   * Stops tracking a path that was moved into place, and releases its lock.
   *
   * @param path the path
   * @throws IOException if its lock cannot be released
   */
  void forget(Path path) throws IOException {
    live.remove(path);
    release(path);
  }

  /**
   * Deletes a tracked path (a file or a whole staging tree) and stops tracking it.
   *
   * @param path the path
   * @throws IOException if it cannot be deleted
   */
  void discard(Path path) throws IOException {
    Trees.deleteRecursively(path);
    live.remove(path);
    release(path);
  }

  /**
   * Releases the lock that marks a path live; a staging directory's lock file is deleted after it.
   */
  private void release(Path path) throws IOException {
    FileChannel channel = locks.remove(path);
    if (channel == null) {
      return;
    }
    try {
      channel.close();
      if (path.getFileName().toString().endsWith(".unpack")) {
        Path lockFile = path.resolveSibling(path.getFileName() + LOCK_SUFFIX);
        Files.deleteIfExists(lockFile);
        JVM_LIVE.remove(lockFile);
      }
    } finally {
      JVM_LIVE.remove(path);
    }
  }

  /**
   * Removes the partial files and staging directories in a directory that a process which died left
   * behind (their lock is free); those of live processes and of this JVM stay.
   *
   * @param directory the directory to clean
   * @return how many were removed
   */
  static int removeAbandoned(Path directory) {
    int removed = 0;
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(
            directory, p -> OURS.matcher(p.getFileName().toString()).matches())) {
      for (Path entry : entries) {
        if (!JVM_LIVE.contains(entry) && removeIfAbandoned(entry)) {
          removed++;
        }
      }
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "cannot look for abandoned partial files in " + directory + ": " + e.getMessage());
    }
    return removed;
  }

  private static boolean removeIfAbandoned(Path entry) {
    String name = entry.getFileName().toString();
    boolean staging = name.endsWith(".unpack");
    Path lockFile = staging ? entry.resolveSibling(name + LOCK_SUFFIX) : entry;
    if (staging && !Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
      // the lock file is made before the directory and deleted after it: none means abandoned
      return deleteAbandoned(entry, null);
    }
    if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS) || JVM_LIVE.contains(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false; // a running process holds it
      }
      try {
        return deleteAbandoned(entry, staging ? lockFile : null);
      } finally {
        if (lock.isValid()) {
          lock.release();
        }
      }
    } catch (OverlappingFileLockException | NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "cannot check " + entry + ": " + e.getMessage());
      return false;
    }
  }

  private static boolean deleteAbandoned(Path entry, @Nullable Path lockFile) {
    try {
      Trees.deleteRecursively(entry);
      if (lockFile != null) {
        Files.deleteIfExists(lockFile);
      }
      LOG.log(
          System.Logger.Level.INFO,
          () -> "removed " + entry + ", left by a pull that did not finish");
      return true;
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          () -> "cannot remove the abandoned " + entry + ": " + e.getMessage());
      return false;
    }
  }

  /**
   * Deletes every tracked path and the private temporary directory.
   *
   * @throws IOException naming every path that could not be deleted
   */
  void deleteAll() throws IOException {
    IOException failure = null;
    for (Path path : Set.copyOf(live)) {
      try {
        discard(path);
      } catch (IOException e) {
        failure = collect(failure, e);
      }
    }
    Path privateDir;
    synchronized (dirLock) {
      privateDir = dir;
      dir = null;
    }
    if (privateDir != null) {
      try {
        Trees.deleteRecursively(privateDir);
      } catch (IOException e) {
        failure = collect(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static IOException collect(@Nullable IOException first, IOException next) {
    if (first == null) {
      return new IOException(
          "cannot delete the file store's temporary files: " + next.getMessage(), next);
    }
    first.addSuppressed(next);
    return first;
  }

  /**
   * The private temporary directory, if one was made.
   *
   * @return the directory, or null
   */
  @Nullable Path directory() {
    synchronized (dirLock) {
      return dir;
    }
  }

  private Path dir() throws IOException {
    synchronized (dirLock) {
      if (dir == null) {
        dir =
            parent == null
                ? Files.createTempDirectory("stevedore-file-store-")
                : Files.createTempDirectory(parent, "stevedore-file-store-");
      }
      return dir;
    }
  }

  private static String randomHex() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
