package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The retry layer of the HTTP seam: a request that failed transiently (connection refused or reset,
 * timeout, 408, 429, 500, 502, 503, 504) is sent again after the {@link RetryPolicy}'s wait,
 * honouring {@code Retry-After}. Only requests that can be sent again are retried: those without a
 * body or with a body held in memory (manifests, upload starts and ends); a streamed body is never
 * replayed here (chunked uploads resume from the registry's offset, downloads resume with a Range
 * request, each in its own operation).
 *
 * <p>When retries run out, the failure says after how many attempts: an exception is wrapped with
 * the count, a final response carries it as the {@link #ATTEMPTS} attribute for {@link
 * ErrorResponses}.
 */
final class RetryTransport implements HttpTransport {
  private static final System.Logger LOG = System.getLogger(RetryTransport.class.getName());

  /** Attached to a final failed response: how many attempts were made. */
  static final Attribute<Integer> ATTEMPTS = new Attribute<>("attempts", Integer.class);

  private final HttpTransport next;
  private final Vertx vertx;
  private final RetryPolicy policy;
  private final Clock clock;
  private final DoubleSupplier random;

  RetryTransport(
      HttpTransport next, Vertx vertx, RetryPolicy policy, Clock clock, DoubleSupplier random) {
    this.next = next;
    this.vertx = vertx;
    this.policy = policy;
    this.clock = clock;
    this.random = random;
  }

  @Override
  public Future<HttpResponse> send(HttpRequest request) {
    if (policy.maxAttempts() == 1 || request.body() instanceof HttpRequest.Stream) {
      return next.send(request);
    }
    return attempt(request, 1, clock.millis());
  }

  private Future<HttpResponse> attempt(HttpRequest request, int attempt, long startedMillis) {
    return next.send(request)
        .transform(
            result -> {
              Duration elapsed = Duration.ofMillis(clock.millis() - startedMillis);
              if (request.cancellation().isCancelled()) {
                return result.succeeded()
                    ? Future.succeededFuture(result.result())
                    : Future.failedFuture(result.cause());
              }
              if (result.succeeded()) {
                HttpResponse response = result.result();
                if (!RetryPolicy.isRetryableStatus(response.status())) {
                  return Future.succeededFuture(response);
                }
                Duration retryAfter =
                    RetryPolicy.parseRetryAfter(response.header("Retry-After"), clock.instant())
                        .orElse(null);
                Optional<Duration> delay = policy.nextDelay(attempt, elapsed, retryAfter, random);
                if (delay.isEmpty()) {
                  return Future.succeededFuture(
                      attempt > 1 ? response.with(ATTEMPTS, attempt) : response);
                }
                LOG.log(
                    Level.DEBUG,
                    () ->
                        request
                            + ": HTTP "
                            + response.status()
                            + ", attempt "
                            + attempt
                            + ", retrying in "
                            + delay.get().toMillis()
                            + " ms");
                return response
                    .discard()
                    .recover(t -> Future.succeededFuture())
                    .compose(v -> after(delay.get()))
                    .compose(v -> attempt(request, attempt + 1, startedMillis));
              }
              Throwable cause = result.cause();
              if (!RetryPolicy.isRetryableFailure(cause)) {
                return Future.failedFuture(cause);
              }
              Optional<Duration> delay = policy.nextDelay(attempt, elapsed, null, random);
              if (delay.isEmpty()) {
                return Future.failedFuture(
                    attempt > 1 ? exhausted(request, attempt, cause) : cause);
              }
              LOG.log(
                  Level.DEBUG,
                  () ->
                      request
                          + ": "
                          + describe(cause)
                          + ", attempt "
                          + attempt
                          + ", retrying in "
                          + delay.get().toMillis()
                          + " ms");
              return after(delay.get()).compose(v -> attempt(request, attempt + 1, startedMillis));
            });
  }

  private Future<Void> after(Duration delay) {
    if (delay.isZero()) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(Math.max(1, delay.toMillis()), id -> promise.complete());
    return promise.future();
  }

  /**
   * The failure after the last attempt: a timeout stays a timeout; other I/O failures ask about
   * reachability.
   */
  private static ContentException exhausted(HttpRequest request, int attempts, Throwable cause) {
    if (cause instanceof RegistryTimeoutException timeout) {
      return new RegistryTimeoutException(
          timeout.getMessage() + " (after " + attempts + " attempts)", timeout.timeout(), timeout);
    }
    return new ContentException(
        request
            + ": failed after "
            + attempts
            + " attempts: "
            + describe(cause)
            + " (is the registry reachable?)",
        cause);
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
