package dev.stevedore.copy;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The executor of one operation: the caller's, or a pool of {@code size} named daemon threads owned
 * by the operation and shut down when it is closed.
 */
final class Workers implements AutoCloseable {
  private static final AtomicInteger OPERATIONS = new AtomicInteger();

  private final Executor executor;
  private final @Nullable ExecutorService owned;

  private Workers(Executor executor, @Nullable ExecutorService owned) {
    this.executor = executor;
    this.owned = owned;
  }

  static Workers of(@Nullable Executor given, int size) {
    if (given != null) {
      return new Workers(given, null);
    }
    int operation = OPERATIONS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            size,
            size,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread t =
                  new Thread(task, "stevedore-copy-" + operation + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return new Workers(pool, pool);
  }

  Executor executor() {
    return executor;
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown();
    }
  }
}
