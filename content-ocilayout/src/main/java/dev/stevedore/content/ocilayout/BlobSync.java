package dev.stevedore.content.ocilayout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flushes many blob files to disk at once, for a batch checkpoint. The flushes run in parallel: a
 * file system journal commits concurrent flushes together, so a thousand files cost a few commits
 * instead of a thousand.
 */
final class BlobSync {
  private static final int MAX_THREADS = 16;
  private static final int INLINE_BELOW = 4;

  private BlobSync() {}

  /**
   * Flushes every file, then the directories holding them.
   *
   * @throws IOException if a file cannot be flushed (a file removed meanwhile is skipped)
   */
  static void syncAll(List<Path> files) throws IOException {
    if (files.isEmpty()) {
      return;
    }
    Set<Path> dirs = new LinkedHashSet<>();
    for (Path file : files) {
      dirs.add(file.getParent());
    }
    if (files.size() < INLINE_BELOW) {
      for (Path file : files) {
        sync(file);
      }
    } else {
      parallel(files);
    }
    for (Path dir : dirs) {
      LayoutFiles.syncDirectory(dir);
    }
  }

  /**
   * The flushing threads, shared by every store of this JVM: started on demand, up to {@value
   * #MAX_THREADS}, and ended after a few idle seconds (daemons, so they never keep a JVM alive).
   */
  private static final ThreadPoolExecutor POOL = newPool();

  private static ThreadPoolExecutor newPool() {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            MAX_THREADS,
            MAX_THREADS,
            5,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread thread = new Thread(r, "stevedore-layout-sync-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static void parallel(List<Path> files) throws IOException {
    List<Future<?>> futures = new ArrayList<>(files.size());
    try {
      for (Path file : files) {
        futures.add(
            POOL.submit(
                () -> {
                  sync(file);
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "interrupted while flushing " + files.size() + " blobs to disk");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot flush blobs to disk: " + e.getCause(), e.getCause());
    } finally {
      for (Future<?> future : futures) {
        future.cancel(false); // after a failure: the rest need not run
      }
    }
  }

  /** Flushes one file to disk; a file deleted meanwhile has nothing left to keep. */
  static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (NoSuchFileException e) {
      // deleted meanwhile: nothing to keep
    } catch (IOException e) {
      throw new IOException(file + ": cannot flush to disk: " + e.getMessage(), e);
    }
  }
}
