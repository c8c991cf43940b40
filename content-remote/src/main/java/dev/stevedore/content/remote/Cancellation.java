package dev.stevedore.content.remote;

import io.vertx.core.http.HttpClientRequest;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The cancellation handle of one blocking operation: the transport registers the Vert.x request in
 * flight, and {@link Blocking} cancels it when the waiting thread is interrupted.
 */
final class Cancellation {
  private final AtomicReference<@Nullable HttpClientRequest> current = new AtomicReference<>();
  private volatile boolean cancelled;

  /** Registers the request in flight; resets it at once if the operation is already cancelled. */
  void register(HttpClientRequest request) {
    current.set(request);
    if (cancelled) {
      request.reset(0, new CancellationException("cancelled"));
    }
  }

  /** Cancels: resets the request in flight, and makes the next one fail. */
  void cancel() {
    cancelled = true;
    HttpClientRequest request = current.get();
    if (request != null) {
      request.reset(0, new CancellationException("interrupted"));
    }
  }

  boolean isCancelled() {
    return cancelled;
  }
}
