package dev.stevedore.copy;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Runs tasks on any executor with at most {@code limit} of them running at once, and stops at the
 * first failure.
 *
 * <p>Tasks never block waiting for one another: a task that has follow-up work submits it, and the
 * scheduler starts queued tasks as running ones finish. So no graph shape can deadlock it, and the
 * executor may be anything: a bounded pool, virtual threads, or {@code Runnable::run} (a trampoline
 * keeps a direct executor from recursing). Completion is signalled by {@link #complete()}; when
 * nothing runs, nothing is queued and completion was not signalled, no task can ever signal it, and
 * {@link #await()} fails instead of waiting forever (a cycle in a custom successor lookup).
 *
 * <p>The first failure cancels: the queue is dropped, running tasks are interrupted (their threads'
 * interrupt status is cleared again when they return to the executor), and later failures are
 * attached to the first as suppressed exceptions unless they are mere consequences of the
 * cancellation. State is guarded by one lock.
 */
final class LimitedScheduler {
  /** A unit of work. */
  @FunctionalInterface
  interface Task {
    void run() throws Exception;
  }

  private static final ThreadLocal<@Nullable LimitedScheduler> DRAINING = new ThreadLocal<>();

  private final Executor executor;
  private final int limit;
  private final Thread caller;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private final Set<Thread> workers = new HashSet<>();
  private final Set<Thread> interruptedWorkers = new HashSet<>();
  private int running;
  private boolean completed;
  private volatile boolean cancelled;
  private @Nullable Throwable failure;

  LimitedScheduler(Executor executor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    this.executor = executor;
    this.limit = limit;
    this.caller = Thread.currentThread();
  }

  /** Queues a task behind the others. */
  void submit(Task task) {
    enqueue(task, false);
  }

  /** Queues a task ahead of the others (work that finishes a sub-graph). */
  void submitFirst(Task task) {
    enqueue(task, true);
  }

  /** Tells whether the work was cancelled (a failure, or the caller gave up). */
  boolean cancelled() {
    return cancelled;
  }

  /** Signals that the work is complete. */
  void complete() {
    lock.lock();
    try {
      completed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Records a failure; the first one cancels everything. */
  void fail(Throwable t) {
    lock.lock();
    try {
      if (failure == null) {
        failure = t;
        cancelLocked();
      } else if (t != failure && !isCancellationFallout(t)) {
        failure.addSuppressed(t);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the work is complete or failed and no task runs any more.
   *
   * @return the first failure, or null on success
   * @throws InterruptedException if the waiting thread is interrupted; call {@link #cancelAndDrain}
   */
  @Nullable Throwable await() throws InterruptedException {
    lock.lock();
    try {
      while (running > 0 || !(completed || failure != null)) {
        if (running == 0 && queue.isEmpty() && !completed && failure == null) {
          failure =
              new IllegalStateException(
                  "copy cannot progress: every remaining node waits for another"
                      + " (a cycle in the graph, which only a custom successor lookup can produce)");
          cancelLocked();
          break;
        }
        changed.await();
      }
      return failure;
    } finally {
      lock.unlock();
    }
  }

  /** Cancels (the caller gave up), interrupts running tasks and waits for them to return. */
  void cancelAndDrain() {
    lock.lock();
    try {
      cancelLocked();
      while (running > 0) {
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  private void enqueue(Task task, boolean first) {
    lock.lock();
    try {
      if (cancelled) {
        return;
      }
      if (first) {
        queue.addFirst(task);
      } else {
        queue.addLast(task);
      }
    } finally {
      lock.unlock();
    }
    drain();
  }

  private void drain() {
    if (DRAINING.get() == this) {
      return; // the loop below, further up this thread's stack, picks the work up
    }
    LimitedScheduler outer = DRAINING.get();
    DRAINING.set(this);
    try {
      while (true) {
        Task task;
        lock.lock();
        try {
          if (cancelled || running >= limit || queue.isEmpty()) {
            return;
          }
          task = queue.pollFirst();
          running++;
        } finally {
          lock.unlock();
        }
        try {
          executor.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
          lock.lock();
          try {
            running--;
          } finally {
            lock.unlock();
          }
          fail(
              new IllegalStateException(
                  "the copy's executor rejected a task: " + e.getMessage(), e));
          return;
        }
      }
    } finally {
      if (outer == null) {
        DRAINING.remove();
      } else {
        DRAINING.set(outer);
      }
    }
  }

  private void run(Task task) {
    Thread me = Thread.currentThread();
    boolean registered = false;
    try {
      lock.lock();
      try {
        if (cancelled) {
          return;
        }
        registered = me != caller && workers.add(me);
      } finally {
        lock.unlock();
      }
      task.run();
    } catch (Throwable t) {
      fail(t);
    } finally {
      lock.lock();
      try {
        if (registered) {
          workers.remove(me);
          if (interruptedWorkers.remove(me)) {
            Thread
                .interrupted(); // our interrupt was for this task, not for the executor's next one
          }
        }
        running--;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
    drain();
  }

  private void cancelLocked() {
    cancelled = true;
    queue.clear();
    for (Thread worker : workers) {
      if (interruptedWorkers.add(worker)) {
        worker.interrupt();
      }
    }
    changed.signalAll();
  }

  private static boolean isCancellationFallout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InterruptedIOException
          || c instanceof InterruptedException
          || c instanceof ClosedByInterruptException) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /**
   * Runs tasks with a concurrency limit and waits for all of them; the first failure cancels the
   * others and is returned.
   */
  static @Nullable Throwable runAll(Executor executor, int limit, List<Task> tasks)
      throws InterruptedException {
    LimitedScheduler scheduler = new LimitedScheduler(executor, limit);
    if (tasks.isEmpty()) {
      return null;
    }
    AtomicInteger remaining = new AtomicInteger(tasks.size());
    List<Task> wrapped = new ArrayList<>(tasks.size());
    for (Task task : tasks) {
      wrapped.add(
          () -> {
            task.run();
            if (remaining.decrementAndGet() == 0) {
              scheduler.complete();
            }
          });
    }
    wrapped.forEach(scheduler::submit);
    try {
      return scheduler.await();
    } catch (InterruptedException e) {
      scheduler.cancelAndDrain();
      throw e;
    }
  }
}
