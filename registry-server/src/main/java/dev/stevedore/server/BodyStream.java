package dev.stevedore.server;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A request body as a blocking {@link InputStream}, with back-pressure: the event loop queues what
 * arrives and pauses the request when a megabyte waits; the reader (a worker thread) resumes it
 * when the queue has drained to a quarter of that. A closed connection or an idle client ends the
 * stream with an {@link IOException}, so a store's push fails and removes its temporary file.
 */
final class BodyStream extends InputStream {
  private static final long HIGH_WATER = 1 << 20;
  private static final long LOW_WATER = HIGH_WATER / 4;

  private final HttpServerRequest request;
  private final Context context;
  private final long idleNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queued;
  private boolean paused;
  private boolean waiting;
  private boolean ended;
  private boolean discarding;
  private @Nullable IOException failure;
  private @Nullable Buffer current;
  private int position;
  private long read;

  /** Must be created on the request's event loop, before the request handler returns. */
  BodyStream(HttpServerRequest request, Context context, Duration idleTimeout) {
    this.request = request;
    this.context = context;
    this.idleNanos = idleTimeout.toNanos();
    request.handler(this::onData);
    request.endHandler(v -> onEnd());
    request.exceptionHandler(this::onFailure);
  }

  private void onData(Buffer buffer) {
    lock.lock();
    try {
      if (discarding || failure != null) {
        return;
      }
      queue.add(buffer);
      queued += buffer.length();
      if (queued > HIGH_WATER && !paused) {
        paused = true;
        request.pause();
      }
      if (waiting) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private void onEnd() {
    lock.lock();
    try {
      ended = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onFailure(Throwable cause) {
    fail(
        new IOException(
            "the client's request body broke off after " + read + " bytes: " + cause.getMessage(),
            cause));
  }

  /** Ends the stream with a failure (the connection closed, the server is stopping). */
  void fail(IOException cause) {
    lock.lock();
    try {
      if (!ended && failure == null) {
        failure = cause;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Drops what is queued and whatever still comes, so the connection can carry the response. */
  void discard() {
    lock.lock();
    try {
      discarding = true;
      queue.clear();
      queued = 0;
      current = null;
      if (paused) {
        paused = false;
        context.runOnContext(v -> request.resume());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Bytes handed to the reader so far. */
  long count() {
    lock.lock();
    try {
      return read;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the whole body has been received and read. */
  boolean finished() {
    lock.lock();
    try {
      return ended && queue.isEmpty() && (current == null || position >= current.length());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    lock.lock();
    try {
      Buffer buffer = awaitData();
      if (buffer == null) {
        return -1;
      }
      int total = 0;
      // fill the caller's buffer from every chunk already queued, without waiting for more
      while (buffer != null && total < len) {
        int n = Math.min(len - total, buffer.length() - position);
        buffer.getBytes(position, position + n, b, off + total);
        position += n;
        total += n;
        buffer = position < buffer.length() ? buffer : nextQueued();
      }
      read += total;
      return total;
    } finally {
      lock.unlock();
    }
  }

  /** The next queued chunk, made current, or null when none is queued. Caller holds the lock. */
  private @Nullable Buffer nextQueued() {
    Buffer next = queue.poll();
    if (next == null) {
      return null;
    }
    queued -= next.length();
    current = next;
    position = 0;
    if (paused && queued < LOW_WATER) {
      paused = false;
      context.runOnContext(v -> request.resume());
    }
    return next;
  }

  private @Nullable Buffer awaitData() throws IOException {
    long deadline = System.nanoTime() + idleNanos;
    while (true) {
      if (current != null && position < current.length()) {
        return current;
      }
      if (nextQueued() != null) {
        continue;
      }
      current = null;
      if (failure != null) {
        throw failure;
      }
      if (ended) {
        return null;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException(
            "the client sent no body bytes for "
                + Duration.ofNanos(idleNanos).toSeconds()
                + " s after "
                + read
                + " bytes; giving up on the request");
      }
      try {
        waiting = true;
        changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading a request body");
      } finally {
        waiting = false;
      }
    }
  }
}
