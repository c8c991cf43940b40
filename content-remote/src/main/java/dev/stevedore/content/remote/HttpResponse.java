package dev.stevedore.content.remote;

import dev.stevedore.content.SizeLimitExceededException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A response whose body is paused until a consumer reads it: in memory up to a limit ({@link
 * #body(long)}), as a back-pressured stream ({@link #stream()}), or discarded.
 */
final class HttpResponse {
  private final HttpClientResponse response;
  private final HttpRequest request;
  private final Context context;

  /**
   * Turns a transport failure into what callers see (an idle timeout into
   * RegistryTimeoutException).
   */
  private final UnaryOperator<Throwable> failures;

  /** How long the registry may send nothing while a reader waits for the body. */
  private final long idleMillis;

  /** Headers a layer replaced (an empty value: removed); case-insensitive names. */
  private final Map<String, Optional<String>> overrides;

  /** Values layers of the seam attached for each other. */
  private final Map<Attribute<?>, Object> attributes;

  /**
   * A response just received, on its event loop. A connection failure that happens before a reader
   * attaches (the response is paused until then) is kept, so the reader still sees it.
   *
   * @param failures translates a failure of the response body for callers
   */
  HttpResponse(
      HttpClientResponse response,
      HttpRequest request,
      Context context,
      UnaryOperator<Throwable> failures,
      long idleMillis) {
    this(response, request, context, failures, idleMillis, Map.of(), Map.of());
    EarlyFailure early = new EarlyFailure();
    this.early = early;
    response.exceptionHandler(t -> early.failure = failures.apply(t));
  }

  /** A failure that arrived before a reader attached its own handler. */
  static final class EarlyFailure {
    volatile @Nullable Throwable failure;
  }

  private EarlyFailure early = new EarlyFailure();

  /** On the response's context: the failure that arrived before a reader attached, if any. */
  @Nullable Throwable earlyFailure() {
    return early.failure;
  }

  private HttpResponse(
      HttpClientResponse response,
      HttpRequest request,
      Context context,
      UnaryOperator<Throwable> failures,
      long idleMillis,
      Map<String, Optional<String>> overrides,
      Map<Attribute<?>, Object> attributes) {
    this.response = response;
    this.request = request;
    this.context = context;
    this.failures = failures;
    this.idleMillis = idleMillis;
    this.overrides = overrides;
    this.attributes = attributes;
  }

  /**
   * The same response with a header replaced or removed, for layers of the seam that rewrite
   * responses (and tests that make a real registry misbehave). The body is shared.
   *
   * @param name the header
   * @param value the new value, or null to remove it
   */
  HttpResponse withHeader(String name, @Nullable String value) {
    TreeMap<String, Optional<String>> changed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    changed.putAll(overrides);
    changed.put(name, Optional.ofNullable(value));
    HttpResponse copy =
        new HttpResponse(
            response,
            request,
            context,
            failures,
            idleMillis,
            Collections.unmodifiableMap(changed),
            attributes);
    copy.early = early;
    return copy;
  }

  /**
   * The same response with a value attached for another layer of the seam (replacing any value of
   * that key). The body is shared.
   *
   * @param key the key
   * @param value the value
   */
  <T> HttpResponse with(Attribute<T> key, T value) {
    Map<Attribute<?>, Object> changed = new HashMap<>(attributes);
    changed.put(key, Objects.requireNonNull(value, "value"));
    HttpResponse copy =
        new HttpResponse(
            response,
            request,
            context,
            failures,
            idleMillis,
            overrides,
            Collections.unmodifiableMap(changed));
    copy.early = early;
    return copy;
  }

  /** The value a layer attached under {@code key}, if any. */
  <T> Optional<T> attribute(Attribute<T> key) {
    Object value = attributes.get(key);
    return value == null ? Optional.empty() : Optional.of(key.cast(value));
  }

  int status() {
    return response.statusCode();
  }

  String statusMessage() {
    return response.statusMessage() == null ? "" : response.statusMessage();
  }

  @Nullable String header(String name) {
    Optional<String> override = overrides.get(name);
    if (override != null) {
      return override.orElse(null);
    }
    return response.getHeader(name);
  }

  List<String> headers(String name) {
    Optional<String> override = overrides.get(name);
    if (override != null) {
      return override.map(List::of).orElse(List.of());
    }
    return response.headers().getAll(name);
  }

  /** The request this response answers (after redirects: the last one). */
  HttpRequest request() {
    return request;
  }

  /** The Content-Length header, or -1. */
  long contentLength() {
    String value = header("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Reads the body into memory.
   *
   * @param limit the most bytes accepted; more fails with SizeLimitExceededException and aborts
   */
  Future<byte[]> body(long limit) {
    Promise<byte[]> promise = Promise.promise();
    context.runOnContext(
        v -> {
          Buffer collected = Buffer.buffer();
          if (early.failure != null) {
            promise.tryFail(early.failure);
            return;
          }
          IdleWatch idle =
              new IdleWatch(
                  context,
                  idleMillis,
                  () -> true,
                  () -> {
                    promise.tryFail(
                        failures.apply(
                            new java.util.concurrent.TimeoutException(
                                "no byte of the response body for " + idleMillis + " ms")));
                    abort();
                  });
          response.exceptionHandler(
              t -> {
                idle.stop();
                promise.tryFail(failures.apply(t));
              });
          response.handler(
              chunk -> {
                idle.activity();
                if (collected.length() + (long) chunk.length() > limit) {
                  idle.stop();
                  response.handler(null);
                  abort();
                  promise.tryFail(
                      new SizeLimitExceededException(
                          request
                              + ": response body exceeds the limit of "
                              + limit
                              + " bytes; raise the metadata limit if this content is legitimate",
                          limit));
                  return;
                }
                collected.appendBuffer(chunk);
              });
          response.endHandler(
              end -> {
                idle.stop();
                promise.tryComplete(collected.getBytes());
              });
          response.resume();
        });
    return promise.future();
  }

  /** Reads and drops the body, so the connection can be reused. */
  Future<Void> discard() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(
        v -> {
          if (early.failure != null) {
            promise.tryFail(early.failure);
            return;
          }
          response.exceptionHandler(t -> promise.tryFail(failures.apply(t)));
          response.handler(chunk -> {});
          response.endHandler(end -> promise.tryComplete());
          response.resume();
        });
    return promise.future();
  }

  /** Drops the body without reading it: resets the request (closing an HTTP/1 connection). */
  void abort() {
    // the reset reaches the response as a failure nobody waits for any more
    try {
      response.exceptionHandler(t -> {});
    } catch (IllegalStateException ended) {
      // The whole body has arrived already (the reader stopped at the last byte without taking the
      // end, as GZIPInputStream does): the connection is reusable and there is nothing to reset.
      return;
    }
    response.request().reset(0, new CancellationException("response abandoned"));
  }

  /** The body as a blocking stream with back-pressure. Closing it early aborts the response. */
  InputStream stream() {
    return new ResponseBodyStream(
        response, context, this::abort, this::earlyFailure, failures, idleMillis);
  }
}
