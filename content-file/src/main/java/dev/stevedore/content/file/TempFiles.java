package dev.stevedore.content.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The temporary files and directories of one store: packed directories and received directory
 * blobs (kept for fetching until the store closes), partial files and unpack staging directories
 * (kept only while a push runs). {@link #close()} deletes whatever is left. Thread-safe.
 */
final class TempFiles {
  /** Prefix of every partial file and staging directory the store puts next to its targets. */
  static final String PREFIX = ".stevedore-";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final @Nullable Path parent;
  private final Object dirLock = new Object();
  private final Set<Path> live = ConcurrentHashMap.newKeySet();
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
   * A new, empty hidden file beside a target, for a write that is moved into place once verified.
   * It gets the default permissions of new files (as if created by the target's writer), not the
   * owner-only permissions of {@link Files#createTempFile}.
   *
   * @param parent the target's directory
   * @return the file
   * @throws IOException if it cannot be created
   */
  Path newPartialFile(Path parent) throws IOException {
    while (true) {
      Path file = parent.resolve(PREFIX + randomHex() + ".partial");
      try {
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        live.add(file);
        return file;
      } catch (FileAlreadyExistsException e) {
        // a name clash with another partial file: draw again
      }
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
      Path staging = parent.resolve(PREFIX + randomHex() + ".unpack");
      try {
        Files.createDirectory(staging);
        live.add(staging);
        return staging;
      } catch (FileAlreadyExistsException e) {
        // a name clash: draw again
      }
    }
  }

  /**
   * Stops tracking a path that was moved into place.
   *
   * @param path the path
   */
  void forget(Path path) {
    live.remove(path);
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
      return new IOException("cannot delete the file store's temporary files: " + next.getMessage(), next);
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
        dir = parent == null
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
