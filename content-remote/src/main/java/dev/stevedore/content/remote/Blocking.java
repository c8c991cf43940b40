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
      throw new IllegalStateException(
          "a blocking Stevedore registry call was made on the Vert.x event-loop thread "
              + Thread.currentThread().getName()
              + "; call it from a worker thread (executeBlocking) or any other thread");
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
      InterruptedIOException interrupted =
          new InterruptedIOException(what + ": interrupted, request cancelled");
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw unwrap(cause == null ? e : cause, what);
    }
  }

  /**
   * Turns a failure into what a blocking caller sees: the ContentException family and interrupts as
   * they are; an I/O failure (a connection refused, reset or closed, a TLS handshake) as a
   * ContentException that says what failed and what to check. Anything else is a programming error
   * (a bug of ours or of a callback) and is rethrown as itself, never dressed up as a network
   * problem.
   *
   * @throws RuntimeException the failure itself, when it is neither an I/O failure nor a
   *     ContentException
   * @throws Error the failure itself, when it is an Error
   */
  static IOException unwrap(Throwable failure, String what) {
    Throwable t = failure;
    while ((t instanceof CompletionException
            || t instanceof ExecutionException
            || t instanceof UncheckedIOException)
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
      return new ContentException(
          what
              + ": TLS handshake failed: "
              + detail
              + ". If the registry's certificate"
              + " comes from a private CA, trust that CA (trustCertificates(...), --ca-file); for a test registry only,"
              + " skip verification (insecure(), --insecure); for a plain-HTTP registry, use plainHttp() (--plain-http)",
          t);
    }
    if (isMalformedResponse(t)) {
      return new ContentException(
          what
              + ": the server's answer is not valid HTTP ("
              + detail
              + "); is this address"
              + " a registry, and does it speak "
              + "the protocol asked for (HTTP or HTTPS)?",
          t);
    }
    if (isIoFailure(t)) {
      return new ContentException(what + ": " + detail + " (is the registry reachable?)", t);
    }
    if (t instanceof RuntimeException bug) {
      throw bug;
    }
    // A checked exception that is not an IOException: nothing of ours throws one, so it is not
    // network advice.
    return new ContentException(what + ": " + t, t);
  }

  /** An HTTP-level decoding failure: the peer answered, but not in HTTP. */
  private static boolean isMalformedResponse(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getClass().getName().startsWith("io.netty.handler.codec.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A failure of the network: an IOException (refused, reset, closed, unknown host), a timeout, or
   * Vert.x's exceptions for a connection that closed or a stream that was reset.
   */
  static boolean isIoFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof IOException
          || c instanceof java.util.concurrent.TimeoutException
          || c instanceof io.vertx.core.http.HttpClosedException
          || c instanceof io.vertx.core.http.StreamResetException
          || (c instanceof io.vertx.core.VertxException
              && c.getClass() == io.vertx.core.VertxException.class)) {
        return true;
      }
    }
    return false;
  }
}
