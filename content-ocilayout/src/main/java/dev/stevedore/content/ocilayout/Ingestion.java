package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.VerifyingInputStream;
import dev.stevedore.content.internal.DurableWrite;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One push in flight, as containerd's ingestion: content streams into a temporary file under {@code
 * ingest/}, hashed and counted as it goes, and the file is only committed (renamed to its blob
 * path) when size and digest match. The temporary file is locked while it is written, so that a
 * later process can tell an abandoned file (left by a crash: nobody holds its lock) from one being
 * written, and remove only the former. Every failure path removes the temporary file.
 *
 * <p>A big blob is flushed to disk behind the writing ({@link DurableWrite}): its final flush
 * before commit has only the tail left to write.
 *
 * <p>Small content ({@link #commitSmall}) is verified in memory before any file exists, then
 * written and renamed at once, without the lock: its temporary file lives for a write and a rename.
 * A cleaner that takes it for abandoned in that window and removes it only makes the rename fail,
 * and the write is done again; a file it removes after the rename is no longer there.
 */
final class Ingestion implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Ingestion.class.getName());

  private final Path temp;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean committed;

  private Ingestion(Path temp, FileChannel channel, FileLock lock) {
    this.temp = temp;
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates and locks a fresh temporary file for a descriptor. */
  static Ingestion start(Path ingestDir, Descriptor expected) throws IOException {
    ensureDirectory(ingestDir);
    while (true) {
      Path temp = ingestDir.resolve(expected.digest().encoded() + "_" + LayoutFiles.randomSuffix());
      FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        FileLock lock;
        try {
          lock = channel.lock();
        } catch (OverlappingFileLockException e) {
          // a cleaner of this JVM took the fresh file for abandoned; it deletes it, we try another
          // name
          channel.close();
          continue;
        }
        // A cleaner may have taken the file for abandoned between its creation and our lock;
        // it deletes only under the lock, so if the file is still there it is ours.
        if (Files.exists(temp)) {
          return new Ingestion(temp, channel, lock);
        }
        channel.close();
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(temp);
        throw e;
      }
    }
  }

  /**
   * Copies and verifies the content into the temporary file, flushing a big one to disk behind the
   * writing, then, when {@code sync}, flushes it whole (in a batch the checkpoint does that last
   * flush, with most of the file already on disk).
   *
   * @throws dev.stevedore.content.DigestMismatchException if the content ends early or hashes
   *     differently
   * @throws dev.stevedore.content.SizeLimitExceededException if it runs past the size
   * @throws InterruptedIOException if the thread is interrupted
   */
  void write(Descriptor expected, InputStream content, boolean sync) throws IOException {
    // A stream that verifies itself (e.g. the copy engine's, over a registry's verified download)
    // is not hashed twice; it still throws before its end on a mismatch, so nothing bad commits.
    DurableWrite.write(
        VerifyingInputStream.wrap(content, expected),
        channel,
        expected.size(),
        sync,
        "push of " + expected.digest());
  }

  /** How often a small write is retried when a cleaner removed its temporary file meanwhile. */
  private static final int SMALL_ATTEMPTS = 16;

  /**
   * Stores small content that was already read whole and verified: a fresh temporary file gets the
   * bytes (flushed to disk when {@code sync}) and is renamed to the blob path; the directory is
   * flushed when {@code sync}. No lock is taken (see the class comment): when a cleaner removed the
   * temporary file before the rename, the write is repeated. The temporary file is removed on every
   * failure.
   *
   * @throws IOException if the file cannot be written or renamed
   */
  static void commitSmall(
      Path ingestDir, Descriptor expected, byte[] bytes, Path blob, boolean sync)
      throws IOException {
    Path dir = LayoutFiles.parent(blob);
    for (int attempt = 1; ; attempt++) {
      Path temp = ingestDir.resolve(expected.digest().encoded() + "_" + LayoutFiles.randomSuffix());
      FileChannel channel;
      try {
        channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        if (attempt >= SMALL_ATTEMPTS) {
          throw e;
        }
        Files.createDirectories(ingestDir); // removed (or never made): the stat is only paid here
        continue;
      }
      boolean moved = false;
      try {
        try (channel) {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          if (sync) {
            channel.force(true);
          }
        }
        moved = move(temp, blob, dir);
      } finally {
        if (!moved) {
          Files.deleteIfExists(temp);
        }
      }
      if (moved) {
        if (sync) {
          LayoutFiles.syncDirectory(dir);
        }
        return;
      }
      if (attempt >= SMALL_ATTEMPTS) {
        throw new IOException(
            temp
                + ": removed by another process before it could be renamed to "
                + blob
                + ", "
                + attempt
                + " times; is something cleaning "
                + ingestDir
                + " in a loop?");
      }
    }
  }

  /**
   * Renames a temporary file to its blob path, creating the blob directory when missing.
   *
   * @return false when the temporary file was gone (removed by a cleaner)
   */
  private static boolean move(Path temp, Path blob, Path dir) throws IOException {
    for (boolean dirMade = false; ; dirMade = true) {
      try {
        LayoutFiles.move(temp, blob);
        return true;
      } catch (NoSuchFileException e) {
        // the cleaner may remove the file at any moment, also after the directory was made
        if (!Files.exists(temp)) {
          return false;
        }
        if (dirMade) {
          throw e;
        }
        Files.createDirectories(dir);
      }
    }
  }

  /**
   * Creates a directory if missing; a stat when it exists (createDirectories throws and catches
   * then).
   */
  private static void ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
  }

  /** The temporary file, for reading back a manifest before commit. */
  Path temp() {
    return temp;
  }

  /**
   * Moves the verified file to its blob path, atomically (an identical blob already there is
   * replaced), and flushes the directory unless {@code sync} is false (the caller flushes later).
   */
  void commit(Path blob, boolean sync) throws IOException {
    Path dir = LayoutFiles.parent(blob);
    ensureDirectory(dir);
    LayoutFiles.move(temp, blob);
    committed = true;
    if (sync) {
      LayoutFiles.syncDirectory(dir);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (!committed) {
        Files.deleteIfExists(temp);
      }
    } finally {
      try {
        if (lock.isValid()) {
          lock.release();
        }
      } finally {
        channel.close();
      }
    }
  }

  /**
   * Removes temporary files that no live push holds: those left by a process that died.
   *
   * @return how many were removed
   */
  static int removeAbandoned(Path ingestDir) {
    if (!Files.isDirectory(ingestDir)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(ingestDir)) {
      for (Path file : files) {
        if (removeIfAbandoned(file)) {
          removed++;
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "cannot list " + ingestDir + ": " + e.getMessage());
    }
    return removed;
  }

  private static boolean removeIfAbandoned(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false; // another process is writing it
      }
      try {
        Files.deleteIfExists(file);
        LOG.log(System.Logger.Level.INFO, () -> "removed abandoned temporary file " + file);
        return true;
      } finally {
        lock.release();
      }
    } catch (OverlappingFileLockException e) {
      return false; // this process is writing it
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "cannot check " + file + ": " + e.getMessage());
      return false;
    }
  }
}
