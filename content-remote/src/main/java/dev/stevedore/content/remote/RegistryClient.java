package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
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
import java.util.function.UnaryOperator;

/**
 * The runner every operation uses: the HTTP seam, the registry's origin, URL building, and the
 * blocking bridge. Owns the Vert.x resources it created; shared by a {@link Registry} and the
 * repositories it hands out.
 */
final class RegistryClient implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** The size of the pieces a response body is delivered in. */
  static final int BODY_CHUNK_SIZE = 64 * 1024;

  private final String host;
  private final RegistryOptions options;
  private final URI base;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpClient http;
  private final ExecutorService uploads;
  private final HttpTransport transport;
  private volatile boolean closed;

  RegistryClient(String host, RegistryOptions options, UnaryOperator<HttpTransport> layers) {
    this.host = host;
    this.options = options;
    URI parsed;
    try {
      parsed = new URI((options.plainHttp() ? "http" : "https") + "://" + host);
    } catch (java.net.URISyntaxException e) {
      parsed = null;
    }
    if (parsed == null
        || parsed.getHost() == null
        || (parsed.getRawPath() != null && !parsed.getRawPath().isEmpty())
        || parsed.getRawQuery() != null
        || parsed.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "invalid registry host \""
              + host
              + "\": expected a host name or address"
              + " with an optional port, e.g. localhost:5000");
    }
    this.base = parsed;
    HttpClientOptions httpOptions = options.httpClientOptions();
    Tls.configure(httpOptions, host, options);
    if (httpOptions.getIdleTimeout() <= 0) {
      // A connection on which nothing is read and nothing written is closed, so a long upload that
      // keeps sending is never cut. It is closed a little after the request-level idle timeout
      // (VertxTransport), which fires first and says what happened.
      httpOptions
          .setIdleTimeout(
              (int) Math.min(Integer.MAX_VALUE, connectionIdleMillis(options.idleTimeout())))
          .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }
    if (httpOptions.getMaxChunkSize() == HttpClientOptions.DEFAULT_MAX_CHUNK_SIZE) {
      // Vert.x cuts response bodies into 8 KiB chunks by default: 131,072 buffers per GiB, each
      // copied and queued. 64 KiB chunks cut that eightfold (benchmarks/results: pull scenario).
      httpOptions.setMaxChunkSize(BODY_CHUNK_SIZE);
    }
    // Before any event loop allocates its first buffer: see NettyEvents for why.
    NettyEvents.initialize();
    this.ownsVertx = options.vertx() == null;
    Vertx given = options.vertx();
    this.vertx = given != null ? given : ownVertx();
    try {
      this.http = vertx.createHttpClient(httpOptions, options.poolOptions());
    } catch (RuntimeException e) {
      if (ownsVertx) {
        vertx.close();
      }
      throw e;
    }
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "stevedore-upload-" + pool + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.uploads = Executors.newCachedThreadPool(factory);
    HttpTransport wire =
        new VertxTransport(
            http,
            uploads,
            options.userAgent(),
            options.idleTimeout(),
            Origin.of(base),
            options.headers());
    HttpTransport base = new LoggingTransport(new WarningTransport(wire, options.warningHandler()));
    HttpTransport retrying =
        new RetryTransport(
            base,
            vertx,
            options.retryPolicy(),
            java.time.Clock.systemUTC(),
            () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    HttpTransport authenticating =
        new AuthTransport(
            retrying,
            vertx,
            options.credentials(),
            new dev.stevedore.content.remote.auth.TokenCache(),
            java.time.Clock.systemUTC(),
            options.forceOAuth2());
    this.transport = layers.apply(authenticating);
  }

  /**
   * A Vert.x instance of the client's own. Its threads are daemons: a Registry or Repository left
   * unclosed must not keep the JVM alive after {@code main} returns (closing still releases them at
   * once).
   */
  private static Vertx ownVertx() {
    return Vertx.vertx(new VertxOptions().setUseDaemonThread(true));
  }

  /**
   * The idle timeout of connections: a little longer than the request's, which then fires first.
   */
  static long connectionIdleMillis(java.time.Duration requestIdle) {
    long millis = requestIdle.toMillis();
    return millis + Math.max(2_000, millis / 10);
  }

  /** The registry host as given, with its port. */
  String host() {
    return host;
  }

  RegistryOptions options() {
    return options;
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

  /** The executor of blocking upload work: request bodies, chunks in flight. */
  java.util.concurrent.Executor uploads() {
    return uploads;
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
   * answered, and refuses it unless it stays on the registry's origin: no other host, no other
   * port, no downgrade from https (SSRF protection, as oras-go's security fixes).
   */
  URI sameOrigin(URI requested, String location, String what) throws ContentException {
    URI target;
    try {
      target = requested.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new ContentException(
          what
              + " \""
              + ErrorResponses.snippet(location.getBytes(StandardCharsets.UTF_8))
              + "\" from "
              + requested
              + " is not a valid URL",
          e);
    }
    if (!origin().sameAs(target)) {
      throw new ContentException(
          what
              + " "
              + Origin.of(target)
              + " from "
              + requested
              + " leaves the registry's origin "
              + origin()
              + "; refusing to follow it (possible request forgery)");
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
      System.getLogger(RegistryClient.class.getName())
          .log(System.Logger.Level.WARNING, "closing the HTTP client of " + base + " failed: " + e);
    }
  }
}
