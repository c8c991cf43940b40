package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one bridge from Vert.x futures to blocking calls: it refuses to block an event-loop thread,
 * waits interruptibly, cancels the request on interrupt and unwraps failures into IOExceptions of
 * the ContentException family.
 */
final class Blocking {
  private Blocking() {}

  /**
   * Fails fast when called on a Vert.x event-loop thread, where blocking would stall every
   * connection of that loop.
   */
  static void checkNotOnEventLoop() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("a blocking Stevedore registry call was made on the Vert.x event-loop thread "
          + Thread.currentThread().getName() + "; call it from a worker thread (executeBlocking) or any other thread");
    }
  }

  /**
   * Waits for a future.
   *
   * @param future the future
   * @param cancellation cancelled when the waiting thread is interrupted
   * @param what what is being done, for messages
   * @return the result
   * @throws InterruptedIOException if interrupted (the interrupt flag is restored)
   * @throws IOException the failure of the future, unwrapped
   */
  static <T> T await(Future<T> future, Cancellation cancellation, String what) throws IOException {
    checkNotOnEventLoop();
    CompletableFuture<T> waiting = future.toCompletionStage().toCompletableFuture();
    try {
      return waiting.get();
    } catch (InterruptedException e) {
      cancellation.cancel();
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException(what + ": interrupted, request cancelled");
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      throw unwrap(e.getCause(), what);
    }
  }

  /** Turns any failure into an IOException that says what failed. */
  static IOException unwrap(Throwable failure, String what) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof UncheckedIOException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ContentException || t instanceof InterruptedIOException) {
      return (IOException) t;
    }
    if (t instanceof java.util.concurrent.CancellationException) {
      return new InterruptedIOException(what + ": cancelled");
    }
    if (t instanceof Error err) {
      throw err;
    }
    String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (ContentException.is(t, javax.net.ssl.SSLException.class)
        || ContentException.is(t, java.security.cert.CertificateException.class)) {
      return new ContentException(what + ": TLS handshake failed: " + detail + ". If the registry's certificate"
          + " comes from a private CA, trust that CA (trustCertificates(...), --ca-file); for a test registry only,"
          + " skip verification (insecure(), --insecure); for a plain-HTTP registry, use plainHttp() (--plain-http)", t);
    }
    return new ContentException(what + ": " + detail + " (is the registry reachable?)", t);
  }
}
