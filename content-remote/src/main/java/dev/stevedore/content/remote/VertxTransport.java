package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The base transport: one Vert.x {@link HttpClient} (pooled, keep-alive), request bodies streamed
 * with back-pressure from blocking streams on an upload executor, redirects of GET and HEAD
 * followed here so that {@code Authorization} is dropped when a redirect leaves the origin.
 */
final class VertxTransport implements HttpTransport {
  private static final System.Logger LOG = System.getLogger(VertxTransport.class.getName());
  static final int MAX_REDIRECTS = 10;
  static final int WRITE_BUFFER = 256 * 1024;
  private static final int MAX_WRITES_IN_FLIGHT = 8;

  private final HttpClient client;
  private final Executor uploads;
  private final String userAgent;
  private final Duration idleTimeout;
  private final Origin registry;
  private final Map<String, String> extraHeaders;

  /**
   * @param idleTimeout how long a request may wait for the next byte of the registry
   * @param registry the registry's origin: only requests to it carry the extra headers
   * @param extraHeaders headers added to requests to the registry that do not set them
   */
  VertxTransport(
      HttpClient client,
      Executor uploads,
      String userAgent,
      Duration idleTimeout,
      Origin registry,
      Map<String, String> extraHeaders) {
    this.client = client;
    this.uploads = uploads;
    this.userAgent = userAgent;
    this.idleTimeout = idleTimeout;
    this.registry = registry;
    this.extraHeaders = extraHeaders;
  }

  /**
   * What callers see of a transport failure: Vert.x's request idle timeout becomes a {@link
   * RegistryTimeoutException} that names the timeout and the option that sets it.
   */
  private Throwable translate(HttpRequest request, Throwable failure) {
    if (failure instanceof TimeoutException) {
      return new RegistryTimeoutException(
          request
              + ": the registry sent nothing for "
              + describe(idleTimeout)
              + " (the idle timeout); if the registry or a proxy is just slow, raise it with the idleTimeout option"
              + " of RegistryOptions",
          idleTimeout,
          failure);
    }
    return failure;
  }

  static String describe(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis + " ms";
    }
    long seconds = millis / 1000;
    return seconds % 60 == 0 && seconds >= 60 ? seconds / 60 + " min" : seconds + " s";
  }

  @Override
  public Future<HttpResponse> send(HttpRequest request) {
    return sendFollowing(request, MAX_REDIRECTS);
  }

  private Future<HttpResponse> sendFollowing(HttpRequest request, int redirectsLeft) {
    return sendOnce(request)
        .compose(
            response -> {
              if (!isRedirect(response.status())
                  || !(HttpMethod.GET.equals(request.method())
                      || HttpMethod.HEAD.equals(request.method()))) {
                return Future.succeededFuture(response);
              }
              String location = response.header("Location");
              if (location == null) {
                return Future.succeededFuture(response);
              }
              if (redirectsLeft == 0) {
                response.abort();
                return Future.failedFuture(
                    new ContentException(
                        request
                            + ": more than "
                            + MAX_REDIRECTS
                            + " redirects; the registry or its storage is misconfigured"));
              }
              URI target = request.uri().resolve(location);
              if ("http".equalsIgnoreCase(request.uri().getScheme())
                  || "https".equalsIgnoreCase(target.getScheme())) {
                HttpRequest next = request.withUri(target);
                if (!Origin.of(request.uri()).sameAs(target)) {
                  // Credentials of the registry must never reach another host (object storage,
                  // CDN).
                  next = next.withoutHeader("Authorization").withoutHeader("Cookie");
                  LOG.log(
                      Level.DEBUG,
                      () ->
                          request
                              + " redirected to another origin "
                              + Origin.of(target)
                              + "; credentials dropped");
                }
                HttpRequest followed = next;
                return response
                    .discard()
                    .recover(t -> Future.succeededFuture())
                    .compose(v -> sendFollowing(followed, redirectsLeft - 1));
              }
              response.abort();
              return Future.failedFuture(
                  new ContentException(
                      request
                          + ": refusing a redirect from https to "
                          + target
                          + " (plain http would expose the transfer)"));
            });
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private Future<HttpResponse> sendOnce(HttpRequest request) {
    if (request.cancellation().isCancelled()) {
      return Future.failedFuture(new java.util.concurrent.CancellationException("cancelled"));
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setAbsoluteURI(request.uri().toString())
            .setFollowRedirects(false);
    options.putHeader("User-Agent", userAgent);
    if (!extraHeaders.isEmpty() && registry.sameAs(request.uri())) {
      for (Map.Entry<String, String> header : extraHeaders.entrySet()) {
        if (!request.headers().containsKey(header.getKey())) {
          options.putHeader(header.getKey(), header.getValue());
        }
      }
    }
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      options.putHeader(header.getKey(), header.getValue());
    }
    LOG.log(Level.TRACE, () -> "sending " + request);
    return client
        .request(options)
        .compose(
            clientRequest -> {
              // Failures reach the caller through the response future; this only keeps Vert.x from
              // logging them.
              clientRequest.exceptionHandler(t -> LOG.log(Level.DEBUG, () -> request + ": " + t));
              request.cancellation().register(clientRequest);
              Future<HttpClientResponse> answer;
              HttpRequest.Body body = request.body();
              byte @Nullable [] whole = body == null ? null : whole(body);
              if (body == null) {
                if (HttpMethod.POST.equals(request.method())
                    || HttpMethod.PUT.equals(request.method())
                    || HttpMethod.PATCH.equals(request.method())) {
                  clientRequest.putHeader("Content-Length", "0");
                }
                clientRequest.idleTimeout(idleTimeout.toMillis());
                answer = clientRequest.send();
              } else if (whole != null) {
                clientRequest.putHeader("Content-Length", Long.toString(whole.length));
                clientRequest.idleTimeout(idleTimeout.toMillis());
                answer = clientRequest.send(wrap(whole, whole.length));
              } else {
                answer = stream(clientRequest, (HttpRequest.Stream) body, request);
              }
              UnaryOperator<Throwable> failures = t -> translate(request, t);
              return answer
                  .<HttpResponse>map(
                      response -> {
                        // Nobody reads the body yet: hold it until a consumer sets its handlers.
                        response.pause();
                        return new HttpResponse(
                            response, request, currentContext(), failures, idleTimeout.toMillis());
                      })
                  .recover(t -> Future.failedFuture(failures.apply(t)));
            });
  }

  private static Context currentContext() {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("response delivered outside a Vert.x context");
    }
    return context;
  }

  /** Writes a stream body from the upload executor; the response or the first failure wins. */
  private Future<HttpClientResponse> stream(
      HttpClientRequest clientRequest, HttpRequest.Stream body, HttpRequest request) {
    clientRequest.putHeader("Content-Length", Long.toString(body.length()));
    Promise<HttpClientResponse> promise = Promise.promise();
    NetworkWait wait = new NetworkWait();
    clientRequest
        .response()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                promise.tryComplete(ar.result());
              } else {
                promise.tryFail(stalledUpload(request, ar.cause(), wait));
              }
            });
    uploads.execute(
        () -> {
          try {
            pump(clientRequest, body.in(), wait);
            if (!promise.future().isComplete()) {
              // Sent whole: from now on the registry owes us bytes, and silence is a stall.
              clientRequest.idleTimeout(idleTimeout.toMillis());
            }
          } catch (Throwable t) {
            // The stream failed verification or could not be read: abort, so nothing is committed.
            promise.tryFail(stalledUpload(request, t, wait));
            clientRequest.reset(0, t);
          }
        });
    return promise.future();
  }

  /**
   * Since when the upload waits for the network to take its bytes (0: not waiting; it reads its
   * source). Left set when the wait fails, so the failure can tell a registry that stopped reading
   * from a source that stopped supplying.
   */
  private static final class NetworkWait {
    volatile long since;
  }

  /**
   * An upload whose connection failed after waiting at least the idle timeout for the registry to
   * take its bytes: the registry stalled (the idle connection was closed), said as a timeout.
   */
  private Throwable stalledUpload(HttpRequest request, Throwable failure, NetworkWait wait) {
    long since = wait.since;
    if (since == 0
        || !Blocking.isIoFailure(failure)
        || failure instanceof TimeoutException
        || failure instanceof RegistryTimeoutException
        || failure instanceof java.io.InterruptedIOException
        || ContentException.is(failure, java.util.concurrent.CancellationException.class)
        || System.nanoTime() - since < idleTimeout.toNanos()) {
      return translate(request, failure);
    }
    return new RegistryTimeoutException(
        request
            + ": the registry took no byte of the upload for "
            + describe(idleTimeout)
            + " or more (the idle timeout) and the connection was closed; if the registry or a proxy is just slow, raise"
            + " it with the idleTimeout option of RegistryOptions",
        idleTimeout,
        failure);
  }

  /**
   * Copies the stream to the request, at most {@link #MAX_WRITES_IN_FLIGHT} buffers ahead of the
   * network, and holds back the last buffer until the stream reports its end (which a verifying
   * stream does only once size and digest matched).
   */
  private static void pump(HttpClientRequest request, InputStream in, NetworkWait wait)
      throws IOException {
    // Arrays cycle between reading and the network: a write's array is reused once Vert.x has
    // written it (its future completed), so an upload of any size allocates at most
    // MAX_WRITES_IN_FLIGHT + 2 arrays instead of one per write (less garbage promoted to old gen).
    ArrayDeque<Write> inFlight = new ArrayDeque<>();
    ArrayDeque<byte[]> free = new ArrayDeque<>();
    byte[] pending = null;
    int pendingLength = 0;
    while (true) {
      byte[] buffer = free.isEmpty() ? new byte[WRITE_BUFFER] : free.poll();
      int n = in.readNBytes(buffer, 0, buffer.length);
      if (n == 0) {
        free.add(buffer);
        break;
      }
      if (pending != null) {
        inFlight.add(new Write(pending, request.write(wrap(pending, pending.length))));
        if (inFlight.size() > MAX_WRITES_IN_FLIGHT) {
          Write done = inFlight.poll();
          join(done.future(), wait);
          free.add(done.array());
        }
      }
      pending = buffer;
      pendingLength = n;
      if (n < buffer.length) {
        // readNBytes returns short only at the end; make the stream report (and verify) its end
        if (in.read() >= 0) {
          throw new IllegalStateException("stream returned data after its end");
        }
        break;
      }
    }
    for (Write w : inFlight) {
      join(w.future(), wait);
    }
    join(pending == null ? request.end() : request.end(wrap(pending, pendingLength)), wait);
  }

  /**
   * A body whole in memory, sent with its headers in one write: bytes, or a stream the caller has
   * already read and verified (a small blob, sent without the upload executor: no thread hand-off
   * per blob). Null for a stream to pump.
   */
  private static byte @Nullable [] whole(HttpRequest.Body body) {
    if (body instanceof HttpRequest.Bytes bytes) {
      return bytes.bytes();
    }
    if (((HttpRequest.Stream) body).in() instanceof HttpRequest.InMemory held
        && held.bytes().length == body.length()) {
      return held.bytes();
    }
    return null;
  }

  /**
   * The first {@code length} bytes of an array as a buffer, without copying them: {@code
   * Buffer.buffer(byte[])} copies into a fresh heap buffer (zeroed, then filled), one more copy and
   * one more array of garbage per written byte on top of the copy into the socket's direct buffer.
   * The array must not change until the write's future completed, which {@link #pump} guarantees
   * and a {@link HttpRequest.Bytes} body (never modified after it was built) does by itself.
   */
  private static Buffer wrap(byte[] array, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(array, 0, length));
  }

  /** A write in flight and the array it sends. */
  // A private pair never compared or hashed: the array is the write's buffer, not a value.
  @SuppressWarnings("ArrayRecordComponent")
  private record Write(byte[] array, Future<Void> future) {}

  private static void join(Future<Void> future, NetworkWait wait) throws IOException {
    wait.since = System.nanoTime();
    try {
      future.toCompletionStage().toCompletableFuture().get();
      wait.since = 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("upload interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw Blocking.unwrap(cause == null ? e : cause, "writing the request body");
    }
  }
}
