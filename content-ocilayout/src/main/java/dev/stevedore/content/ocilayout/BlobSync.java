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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flushes many blob files to disk at once, for a batch checkpoint. The flushes run in parallel: a
 * file system journal commits concurrent flushes together, so a thousand files cost a few commits
 * instead of a thousand.
 */
final class BlobSync {
  private static final int MAX_THREADS = 16;
  private static final int INLINE_BELOW = 4;
  private static final AtomicInteger POOLS = new AtomicInteger();

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

  private static void parallel(List<Path> files) throws IOException {
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            Math.min(MAX_THREADS, files.size()),
            r -> {
              Thread thread =
                  new Thread(r, "stevedore-layout-sync-" + pool + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> futures = new ArrayList<>(files.size());
      for (Path file : files) {
        futures.add(
            executor.submit(
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
      executor.shutdownNow();
    }
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (NoSuchFileException e) {
      // deleted meanwhile: nothing to keep
    } catch (IOException e) {
      throw new IOException(file + ": cannot flush to disk: " + e.getMessage(), e);
    }
  }
}
