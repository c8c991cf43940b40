package dev.stevedore.content.ocilayout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock that serializes index.json updates of one layout across threads, store instances and
 * processes: a JVM-wide lock per layout directory (file locks are held per process, so two stores
 * of one JVM must not both ask the OS), then an exclusive file lock on {@code index.json.lock}. The
 * lock file is never deleted, so every process locks the same file.
 */
@SuppressWarnings("try") // the held lock is the resource; the body need not use it
final class LayoutLock {
  private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path lockFile;
  private final ReentrantLock jvmLock;

  LayoutLock(Path root) {
    this.lockFile = root.resolve(LayoutFiles.LOCK_FILE);
    this.jvmLock = JVM_LOCKS.computeIfAbsent(root, r -> new ReentrantLock());
  }

  /** A held lock; closing releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** Work done under the lock. */
  @FunctionalInterface
  interface Action<T> {
    T run() throws IOException;
  }

  /**
   * Runs an action holding the lock.
   *
   * @return what the action returned
   * @throws IOException if locking or the action fails
   */
  <T> T locked(Action<T> action) throws IOException {
    try (Held held = acquire()) {
      return action.run();
    }
  }

  /** Work done under the lock that returns nothing. */
  @FunctionalInterface
  interface Step {
    void run() throws IOException;
  }

  /**
   * Runs a step holding the lock.
   *
   * @throws IOException if locking or the step fails
   */
  void lockedRun(Step step) throws IOException {
    try (Held held = acquire()) {
      step.run();
    }
  }

  /**
   * Takes the lock, waiting for other threads and processes.
   *
   * @return the held lock
   * @throws IOException if the lock file cannot be opened or locked, or the wait is interrupted
   */
  Held acquire() throws IOException {
    try {
      jvmLock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the lock of " + lockFile);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fileLock = channel.lock();
      FileChannel held = channel;
      return () -> {
        try (held) {
          fileLock.release();
        } finally {
          jvmLock.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      jvmLock.unlock();
      if (e instanceof IOException io) {
        throw new IOException("cannot lock " + lockFile + ": " + io.getMessage(), io);
      }
      throw e;
    }
  }
}
