package dev.stevedore.content.remote;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * A response body as an InputStream, with back-pressure by demand: the response stays paused and
 * the event loop delivers only the buffers the reader asked for ({@code fetch(n)}): first {@link
 * #INITIAL_DEMAND}, then {@link #BATCH} more each time the reader has consumed that many. At most
 * {@link #INITIAL_DEMAND} network buffers wait in memory, and the reader can never starve the
 * stream: whenever its queue is empty, at least {@code INITIAL_DEMAND - BATCH + 1} buffers are
 * still asked for.
 */
final class ResponseBodyStream extends InputStream {
  static final int INITIAL_DEMAND = 16;
  static final int BATCH = 8;
  private static final Object END = new Object();

  private final HttpClientResponse response;
  private final Context context;
  private final Runnable abort;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private int consumedSinceDemand;
  private @Nullable Buffer current;
  private int position;
  private boolean ended;
  private boolean closed;

  /** Buffers asked for and buffers delivered; on the context only. */
  private long requested;

  private long delivered;
  private @Nullable IdleWatch watch;

  /**
   * @param idleMillis how long the registry may send nothing while the reader waits
   * @param failures translates a failure of the body for the reader
   */
  ResponseBodyStream(
      HttpClientResponse response,
      Context context,
      Runnable abort,
      java.util.function.Supplier<@Nullable Throwable> earlyFailure,
      java.util.function.UnaryOperator<Throwable> failures,
      long idleMillis) {
    this.response = response;
    this.context = context;
    this.abort = abort;
    context.runOnContext(
        v -> {
          Throwable early = earlyFailure.get();
          if (early != null) {
            queue.add(new Failure(early));
            return;
          }
          IdleWatch idle =
              new IdleWatch(
                  context,
                  idleMillis,
                  () -> requested > delivered,
                  () -> {
                    queue.add(
                        new Failure(
                            failures.apply(
                                new java.util.concurrent.TimeoutException(
                                    "no byte of the response body for " + idleMillis + " ms"))));
                    abort.run();
                  });
          watch = idle;
          response.exceptionHandler(
              t -> {
                idle.stop();
                queue.add(new Failure(failures.apply(t)));
              });
          response.handler(
              buffer -> {
                delivered++;
                idle.activity();
                queue.add(buffer);
              });
          response.endHandler(
              end -> {
                idle.stop();
                queue.add(END);
              });
          demand(INITIAL_DEMAND);
        });
  }

  /** On the context: asks for more buffers; the reader waits for them from now on. */
  private void demand(int buffers) {
    if (requested == delivered && watch != null) {
      watch.activity();
    }
    requested += buffers;
    response.fetch(buffers);
  }

  private record Failure(Throwable cause) {}

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (current == null || position >= current.length()) {
      if (ended) {
        return -1;
      }
      if (!next()) {
        return -1;
      }
    }
    int n = Math.min(len, current.length() - position);
    current.getBytes(position, position + n, b, off);
    position += n;
    return n;
  }

  private boolean next() throws IOException {
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new InterruptedIOException(
          "reading from the registry was interrupted; the download was cancelled");
    }
    if (item == END) {
      ended = true;
      current = null;
      return false;
    }
    if (item instanceof Failure f) {
      ended = true;
      throw Blocking.unwrap(f.cause(), "reading the response body");
    }
    current = (Buffer) item;
    position = 0;
    if (++consumedSinceDemand == BATCH) {
      consumedSinceDemand = 0;
      context.runOnContext(v -> demand(BATCH));
    }
    return true;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.length() - position;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    context.runOnContext(
        v -> {
          if (watch != null) {
            watch.stop();
          }
        });
    if (!ended) {
      // The rest of the body is not wanted: dropping the connection beats reading it.
      abort.run();
    }
    queue.clear();
  }
}
