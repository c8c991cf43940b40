package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The runner every operation uses: the HTTP seam, the registry's origin, URL building, and the
 * blocking bridge. Owns the Vert.x resources it created; shared by a {@link Registry} and the
 * repositories it hands out.
 */
final class RegistryClient implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  /** The size of the pieces a response body is delivered in. */
  static final int BODY_CHUNK_SIZE = 64 * 1024;

  private final Settings settings;
  private final URI base;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpClient http;
  private final ExecutorService uploads;
  private final HttpTransport transport;
  private volatile boolean closed;

  RegistryClient(Settings settings) {
    this.settings = settings;
    this.base = URI.create((settings.plainHttp() ? "http" : "https") + "://" + settings.registry());
    if (base.getHost() == null) {
      throw new IllegalArgumentException("invalid registry host \"" + settings.registry() + "\"");
    }
    this.ownsVertx = settings.vertx() == null;
    this.vertx = ownsVertx ? Vertx.vertx() : settings.vertx();
    io.vertx.core.http.HttpClientOptions options = settings.httpClientOptions();
    Tls.configure(options, settings);
    if (options.getIdleTimeout() <= 0) {
      // Connection-level idleness counts reads and writes, so a long upload that keeps sending is
      // never cut, while a registry that goes silent is.
      options.setIdleTimeout((int) Math.max(1, settings.idleTimeout().toSeconds()))
          .setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
    if (options.getMaxChunkSize() == io.vertx.core.http.HttpClientOptions.DEFAULT_MAX_CHUNK_SIZE) {
      // Vert.x cuts response bodies into 8 KiB chunks by default: 131,072 buffers per GiB, each
      // copied and queued. 64 KiB chunks cut that eightfold (benchmarks/results: pull scenario).
      options.setMaxChunkSize(BODY_CHUNK_SIZE);
    }
    this.http = vertx.createHttpClient(options, settings.poolOptions());
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "stevedore-upload-" + pool + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.uploads = Executors.newCachedThreadPool(factory);
    HttpTransport base = new LoggingTransport(new VertxTransport(http, uploads, settings.userAgent()));
    HttpTransport retrying = new RetryTransport(base, vertx, settings.retryPolicy(), java.time.Clock.systemUTC(),
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    HttpTransport authenticating = new AuthTransport(retrying, vertx, settings.credentials(),
        new dev.stevedore.content.remote.auth.TokenCache(), java.time.Clock.systemUTC(), settings.forceOAuth2());
    this.transport = settings.transportLayers().apply(authenticating);
  }

  Settings settings() {
    return settings;
  }

  URI base() {
    return base;
  }

  Origin origin() {
    return Origin.of(base);
  }

  HttpTransport transport() {
    return transport;
  }

  /** {@code base + path}, the path given already encoded. */
  URI uri(String rawPathAndQuery) {
    return URI.create(base + rawPathAndQuery);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Resolves a URL the registry handed out (upload Location, paging Link) against the request it
   * answered, and refuses it unless it stays on the registry's origin: no other host, no other port,
   * no downgrade from https (SSRF protection, as oras-go's security fixes).
   */
  URI sameOrigin(URI requested, String location, String what) throws ContentException {
    URI target;
    try {
      target = requested.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new ContentException(what + " \"" + ErrorResponses.snippet(location.getBytes(StandardCharsets.UTF_8))
          + "\" from " + requested + " is not a valid URL", e);
    }
    if (!origin().sameAs(target)) {
      throw new ContentException(what + " " + Origin.of(target) + " from " + requested
          + " leaves the registry's origin " + origin() + "; refusing to follow it (possible request forgery)");
    }
    return target;
  }

  /** Runs one asynchronous operation and waits for it on the calling thread. */
  <T> T run(String what, Function<Cancellation, Future<T>> operation) throws IOException {
    Blocking.checkNotOnEventLoop();
    if (closed) {
      throw new IllegalStateException("the registry client of " + base + " is closed");
    }
    Cancellation cancellation = new Cancellation();
    return Blocking.await(operation.apply(cancellation), cancellation, what);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    uploads.shutdownNow();
    try {
      http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (ownsVertx) {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      System.getLogger(RegistryClient.class.getName()).log(System.Logger.Level.WARNING,
          "closing the HTTP client of " + base + " failed: " + e);
    }
  }
}
