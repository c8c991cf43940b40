package dev.stevedore.content.remote;

import io.vertx.core.Context;
import java.util.function.BooleanSupplier;

/**
 * Fails a response body on which nothing arrives for the idle timeout while a reader waits for it
 * (Vert.x's request idle timeout ends with the response headers). Time during which the reader
 * asked for nothing (a slow consumer, a paused body) does not count. Confined to the response's
 * context: every method runs on it.
 */
final class IdleWatch {
  private final Context context;
  private final long idleMillis;
  private final BooleanSupplier waiting;
  private final Runnable onIdle;
  private long lastActivity = System.nanoTime();
  private long timer = -1;
  private boolean stopped;

  /**
   * @param idleMillis the idle timeout
   * @param waiting whether a reader waits for data now
   * @param onIdle what to do when the timeout elapsed while a reader waited
   */
  IdleWatch(Context context, long idleMillis, BooleanSupplier waiting, Runnable onIdle) {
    this.context = context;
    this.idleMillis = idleMillis;
    this.waiting = waiting;
    this.onIdle = onIdle;
    arm(idleMillis);
  }

  /** Something arrived, or the reader started to wait: the idle time starts again. */
  void activity() {
    lastActivity = System.nanoTime();
  }

  /** The body ended, failed or was abandoned. */
  void stop() {
    stopped = true;
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
  }

  private void arm(long delayMillis) {
    timer = context.owner().setTimer(Math.max(1, delayMillis), id -> check());
  }

  private void check() {
    timer = -1;
    if (stopped) {
      return;
    }
    if (!waiting.getAsBoolean()) {
      activity();
      arm(idleMillis);
      return;
    }
    long idle = (System.nanoTime() - lastActivity) / 1_000_000;
    if (idle >= idleMillis) {
      stopped = true;
      onIdle.run();
      return;
    }
    arm(idleMillis - idle);
  }
}
