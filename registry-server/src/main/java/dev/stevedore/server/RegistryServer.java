package dev.stevedore.server;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A running OCI registry that serves the stores of a {@link RepositoryProvider}: the whole
 * distribution-spec 1.1 API (pull, push, content discovery, content management), on Vert.x.
 *
 * <pre>{@code
 * try (RegistryServer server = RegistryServer.builder()
 *     .repositories(RepositoryProvider.memory()).start()) {
 *   URI url = server.url();          // http://127.0.0.1:<a free port>
 * }
 * }</pre>
 *
 * <p>Threading: requests are parsed on Vert.x event loops ({@link Builder#eventLoops}, one HTTP
 * server each on the shared port, connections taken in turn); every store call runs on a bounded
 * pool of worker threads ({@link Builder#workerThreads}); request bodies stream into the stores
 * with back-pressure (manifests, up to the size limit, are read whole). An upload holds its worker
 * while its body streams in; a blob download from an OCI layout holds one only to start the
 * transfer (the event loop sends the file), a download from another store for the whole transfer.
 * Requests that find every worker busy wait in a queue, in order; when more wait than {@link
 * Builder#maxQueuedRequests} allows, the rest are answered 429 TOOMANYREQUESTS with {@code
 * Retry-After}. Uploads are verified (size and digest) by the store before they become visible.
 *
 * <p>{@link #close()} stops listening, breaks off requests in flight (their uploads leave nothing
 * behind), removes unfinished upload sessions and waits for the workers. Thread-safe.
 */
public final class RegistryServer implements Closeable {
  private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final java.util.List<HttpServer> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final WorkerExecutor workers;
  private final UploadSessions uploads;
  private final @Nullable Path ownedUploadDirectory;
  private final RegistryHandler handler;
  private final Set<BodyStream> bodies = ConcurrentHashMap.newKeySet();
  private final Set<String> servingThreads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong handled =
      new java.util.concurrent.atomic.AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final int maxQueued;
  private final Duration bodyIdleTimeout;
  private final @Nullable Consumer<String> accessLog;
  private final URI url;
  private final long expiryTimer;

  private RegistryServer(
      Builder b,
      Vertx vertx,
      boolean ownsVertx,
      Path uploadDirectory,
      @Nullable Path ownedUploadDirectory,
      @Nullable Htpasswd htpasswd)
      throws IOException {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.ownedUploadDirectory = ownedUploadDirectory;
    this.maxQueued = b.maxQueuedRequests;
    this.bodyIdleTimeout = b.bodyIdleTimeout;
    this.accessLog = b.accessLog;
    Settings settings =
        new Settings(
            b.readOnly,
            b.deletes,
            b.checkManifestBlobs,
            b.maxManifestBytes,
            b.referrersPageSize,
            b.uploadExpiry,
            b.bodyIdleTimeout,
            b.clock);
    this.uploads = new UploadSessions(uploadDirectory, b.uploadExpiry, b.clock);
    this.handler =
        new RegistryHandler(
            settings, new Repositories(Objects.requireNonNull(b.provider)), uploads, htpasswd);
    this.workers =
        vertx.createSharedWorkerExecutor(
            "stevedore-registry-worker", b.workerThreads, 1, TimeUnit.DAYS);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(b.host)
            .setPort(b.port)
            .setHandle100ContinueAutomatically(true)
            .setCompressionSupported(false)
            .setMaxInitialLineLength(16 * 1024);
    Path certificate = b.tlsCertificate;
    boolean tls = certificate != null;
    if (certificate != null) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(certificate.toString())
                  .setKeyPath(Objects.requireNonNull(b.tlsKey).toString()));
    }
    try {
      // one server per event loop, sharing the port: Vert.x hands every server's connections to
      // the event loop of the context that started it, so a single server would send every
      // download from one thread (4 concurrent pulls on 2 cores: 1.7-2.2x docker-registry's time)
      // (Vert.x shares servers by port, never port 0: for port 0, a free port is picked first,
      // and picked again should another process take it before the servers listen)
      java.util.List<Context> loops = eventLoopContexts(vertx, b.eventLoops);
      for (int attempt = 1; ; attempt++) {
        int port = b.port != 0 || b.eventLoops == 1 ? b.port : freePort(b.host);
        HttpServerOptions shared = new HttpServerOptions(options).setPort(port);
        try {
          for (Context loop : loops) {
            listeners.add(listen(loop, shared));
          }
          break;
        } catch (ExecutionException e) {
          closeListeners();
          if (b.port != 0 || attempt == 5) {
            throw e;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeListeners();
      throw new InterruptedIOException("interrupted while starting the registry");
    } catch (ExecutionException | TimeoutException e) {
      closeListeners();
      Throwable inner = e.getCause();
      Throwable cause = e instanceof ExecutionException && inner != null ? inner : e;
      throw new IOException(
          "cannot listen on "
              + b.host
              + ":"
              + b.port
              + ": "
              + cause.getMessage()
              + (b.port != 0 ? " (is the port in use? port 0 picks a free one)" : ""),
          cause);
    }
    String host = b.host.contains(":") ? "[" + b.host + "]" : b.host;
    this.url =
        URI.create((tls ? "https" : "http") + "://" + host + ":" + listeners.get(0).actualPort());
    long period = Math.max(1000, Math.min(b.uploadExpiry.toMillis() / 2, 60_000));
    this.expiryTimer = vertx.setPeriodic(period, id -> submit(uploads::expire));
  }

  /**
   * A builder with the defaults: {@code 127.0.0.1}, a free port, plain HTTP, writes and deletes
   * allowed, manifests up to 4 MiB with their blobs checked, 32 worker threads.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The address clients use, e.g. {@code http://127.0.0.1:41234}.
   *
   * @return the URL
   */
  public URI url() {
    return url;
  }

  /**
   * The port the server listens on (the one picked, when port 0 was asked).
   *
   * @return the port
   */
  public int port() {
    return url.getPort();
  }

  /**
   * {@code host:port}, the registry part of references to this server, e.g. {@code
   * 127.0.0.1:41234}.
   *
   * @return the host and port
   */
  public String hostPort() {
    return url.getHost() + ":" + url.getPort();
  }

  /** Removes upload sessions idle for longer than the expiry now (a timer does it periodically). */
  int expireUploads() {
    return uploads.expire();
  }

  /** Requests being handled or waiting for a worker. */
  int activeRequests() {
    return running.get() + queued.get();
  }

  /** Requests whose handling has ended (answered, refused, or broken off by the client). */
  long handledRequests() {
    return handled.get();
  }

  int uploadSessions() {
    return uploads.size();
  }

  Path uploadDirectory() {
    return uploads.directory();
  }

  private void onRequest(HttpServerRequest request) {
    Context context = vertx.getOrCreateContext();
    servingThreads.add(Thread.currentThread().getName());
    long started = System.nanoTime();
    request.response().putHeader("Docker-Distribution-API-Version", "registry/2.0");
    HttpMethod method = request.method();
    BodyStream body = null;
    if (HttpMethod.PUT.equals(method)
        || HttpMethod.POST.equals(method)
        || HttpMethod.PATCH.equals(method)) {
      body = new BodyStream(request, context, bodyIdleTimeout);
      bodies.add(body);
    }
    Exchange exchange = new Exchange(request, context, body);
    if (accessLog != null) {
      Consumer<String> log = accessLog;
      exchange.beforeEnd(
          response ->
              log.accept(
                  request.remoteAddress().hostAddress()
                      + " "
                      + request.method()
                      + " "
                      + request.uri()
                      + " "
                      + response.getStatusCode()
                      + " "
                      + response.headers().get("Content-Length")
                      + " B "
                      + (System.nanoTime() - started) / 1_000_000
                      + " ms"));
    }
    if (closed.get()) {
      exchange.sendError(
          new RegistryError(503, ErrorCode.UNKNOWN, "the registry is stopping", null));
      return;
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      exchange.sendError(
          new RegistryError(
                  ErrorCode.TOOMANYREQUESTS,
                  "too many requests wait for this registry (" + maxQueued + "); retry later")
              .header("Retry-After", "1"));
      if (body != null) {
        bodies.remove(body);
      }
      return;
    }
    BodyStream finalBody = body;
    workers.executeBlocking(
        () -> {
          queued.decrementAndGet();
          running.incrementAndGet();
          try {
            handler.handle(exchange);
          } finally {
            handled.incrementAndGet();
            running.decrementAndGet();
            if (finalBody != null) {
              bodies.remove(finalBody);
              if (!exchange.answered()) {
                exchange.discardBody();
              }
            }
          }
          return null;
        },
        false);
  }

  private void submit(Runnable task) {
    workers.executeBlocking(
        () -> {
          task.run();
          return null;
        },
        false);
  }

  /**
   * Contexts on {@code count} different event loops where the Vert.x instance has that many (new
   * contexts take the loops in turn, but other contexts may be created meanwhile: each is checked).
   */
  private static java.util.List<Context> eventLoopContexts(Vertx vertx, int count)
      throws InterruptedException, ExecutionException, TimeoutException {
    java.util.List<Context> contexts = new java.util.ArrayList<>();
    Set<Thread> threads = new java.util.HashSet<>();
    for (int i = 0; i < 4 * count && contexts.size() < count; i++) {
      Context context = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
      java.util.concurrent.CompletableFuture<Thread> thread =
          new java.util.concurrent.CompletableFuture<>();
      context.runOnContext(v -> thread.complete(Thread.currentThread()));
      if (threads.add(thread.get(60, TimeUnit.SECONDS))) {
        contexts.add(context);
      }
    }
    while (contexts.size() < count) {
      contexts.add(contexts.get(contexts.size() % threads.size()));
    }
    return contexts;
  }

  /** Starts one HTTP server on the event loop of {@code context}. */
  private HttpServer listen(Context context, HttpServerOptions options)
      throws InterruptedException, ExecutionException, TimeoutException {
    java.util.concurrent.CompletableFuture<HttpServer> started =
        new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(
        v ->
            vertx
                .createHttpServer(options)
                .requestHandler(this::onRequest)
                .listen()
                .onComplete(
                    r -> {
                      if (r.succeeded()) {
                        started.complete(r.result());
                      } else {
                        started.completeExceptionally(r.cause());
                      }
                    }));
    return started.get(60, TimeUnit.SECONDS);
  }

  /** Stops listening. */
  private void closeListeners() {
    for (HttpServer server : listeners) {
      await(server.close(), "close the HTTP server");
    }
    listeners.clear();
  }

  /** Event-loop threads that have handled requests, for tests: connections are spread over them. */
  Set<String> servingThreads() {
    return Set.copyOf(servingThreads);
  }

  /** A port free on the host now, picked by the operating system; 0 when none can be probed. */
  private static int freePort(String host) {
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      return 0; // the listen that follows fails with the reason, in its own words
    }
  }

  /**
   * Stops the server: no new requests, requests in flight broken off (an upload in flight leaves no
   * blob and no temporary file), upload sessions removed. Waits up to ten seconds for the workers;
   * closes the Vert.x instance when the server created it. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    vertx.cancelTimer(expiryTimer);
    IOException stopping = new Stopping();
    for (BodyStream body : bodies) {
      body.fail(stopping);
    }
    closeListeners();
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    while ((running.get() > 0 || queued.get() > 0) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20); // polling the worker count: nothing to wait on across Vert.x's pool
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    uploads.closeAll();
    await(workers.close(), "close the worker pool");
    if (ownsVertx) {
      await(vertx.close(), "close Vert.x");
    }
    if (ownedUploadDirectory != null) {
      deleteTree(ownedUploadDirectory);
    }
  }

  private static void await(io.vertx.core.Future<?> future, String what) {
    try {
      future.toCompletionStage().toCompletableFuture().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(System.Logger.Level.WARNING, () -> "cannot " + what + ": " + e);
    }
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException exc)
                throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, () -> "cannot remove " + root + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "RegistryServer[" + url + "]";
  }

  /** What breaks off the request bodies in flight when the server stops. */
  static final class Stopping extends IOException {
    private static final long serialVersionUID = 1L;

    Stopping() {
      super("the registry is stopping; the request was broken off");
    }
  }

  /**
   * Options of a {@link RegistryServer}; {@link #start()} validates them and starts it. Not
   * thread-safe; build on one thread.
   */
  public static final class Builder {
    private @Nullable RepositoryProvider provider;
    private String host = "127.0.0.1";
    private int port;
    private boolean readOnly;
    private boolean deletes = true;
    private boolean checkManifestBlobs = true;
    private long maxManifestBytes = 4L << 20;
    private int referrersPageSize = 1000;
    private Duration uploadExpiry = Duration.ofHours(1);
    private Duration bodyIdleTimeout = Duration.ofMinutes(2);
    private Clock clock = Clock.systemUTC();
    private int workerThreads = 32;
    private int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int maxQueuedRequests = 4096;
    private @Nullable Path uploadDirectory;
    private @Nullable Path htpasswd;
    private @Nullable Path tlsCertificate;
    private @Nullable Path tlsKey;
    private @Nullable Vertx vertx;
    private @Nullable Consumer<String> accessLog;

    private Builder() {}

    /**
     * Where the repositories come from (required).
     *
     * @param provider e.g. {@link RepositoryProvider#ociLayouts(Path)} or {@link
     *     RepositoryProvider#memory()}
     * @return this builder
     */
    public Builder repositories(RepositoryProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * The address to bind, default {@code 127.0.0.1} (use {@code 0.0.0.0} for every interface).
     *
     * @param host a host name or IP address
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The port, default 0: a free one, told by {@link RegistryServer#port()}.
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Refuses every write (uploads, manifest pushes, deletes) with 405 UNSUPPORTED.
     *
     * @return this builder
     */
    public Builder readOnly() {
      this.readOnly = true;
      return this;
    }

    /**
     * Refuses DELETE of manifests, tags and blobs with 405 UNSUPPORTED (deletes are allowed by
     * default).
     *
     * @return this builder
     */
    public Builder disableDeletes() {
      this.deletes = false;
      return this;
    }

    /**
     * Accepts manifests whose blobs or child manifests are not in the repository (by default they
     * are refused with MANIFEST_BLOB_UNKNOWN).
     *
     * @return this builder
     */
    public Builder skipManifestBlobCheck() {
      this.checkManifestBlobs = false;
      return this;
    }

    /**
     * The largest manifest accepted, default 4 MiB; larger ones get 413 SIZE_INVALID.
     *
     * @param bytes a positive size
     * @return this builder
     */
    public Builder maxManifestBytes(long bytes) {
      if (bytes <= 0 || bytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            "maxManifestBytes must be positive and under 2 GiB: " + bytes);
      }
      this.maxManifestBytes = bytes;
      return this;
    }

    /**
     * The most referrers in one referrers-API response, default 1000; more are paged with a {@code
     * Link} header.
     *
     * @param size a positive count
     * @return this builder
     */
    public Builder referrersPageSize(int size) {
      if (size <= 0) {
        throw new IllegalArgumentException("referrersPageSize must be positive: " + size);
      }
      this.referrersPageSize = size;
      return this;
    }

    /**
     * How long an upload session may stay idle before it is removed with its data, default one
     * hour.
     *
     * @param expiry a positive duration
     * @return this builder
     */
    public Builder uploadExpiry(Duration expiry) {
      if (expiry.isNegative() || expiry.isZero()) {
        throw new IllegalArgumentException("uploadExpiry must be positive: " + expiry);
      }
      this.uploadExpiry = expiry;
      return this;
    }

    /**
     * How long a client may send nothing in the middle of a request body before the request is
     * given up, default two minutes.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder bodyIdleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("bodyIdleTimeout must be positive: " + timeout);
      }
      this.bodyIdleTimeout = timeout;
      return this;
    }

    /**
     * The clock of upload expiry, default the system clock (tests inject one).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The worker threads that run store calls, default 32. An upload holds a worker while its body
     * streams in (so this bounds the uploads in progress), a download holds one for its whole
     * transfer unless it is a blob of an OCI layout (sent by the event loop). Requests that find
     * every worker busy wait in a queue, in order (see {@link #maxQueuedRequests}). A thread costs
     * little until used: they are started on demand.
     *
     * @param threads a positive count
     * @return this builder
     */
    public Builder workerThreads(int threads) {
      if (threads <= 0) {
        throw new IllegalArgumentException("workerThreads must be positive: " + threads);
      }
      this.workerThreads = threads;
      return this;
    }

    /**
     * The event loops that parse requests and send layout blobs, default one per processor. Each
     * has an HTTP server of its own on the registry's port; new connections go to them in turn, so
     * concurrent downloads are sent by as many threads. With a {@link #vertx(Vertx) Vert.x
     * instance} of fewer event loops, some share one.
     *
     * @param loops a positive count
     * @return this builder
     */
    public Builder eventLoops(int loops) {
      if (loops <= 0) {
        throw new IllegalArgumentException("eventLoops must be positive: " + loops);
      }
      this.eventLoops = loops;
      return this;
    }

    /**
     * How many requests may wait for a worker before more are answered 429 TOOMANYREQUESTS, default
     * 4096.
     *
     * @param max a positive count
     * @return this builder
     */
    public Builder maxQueuedRequests(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxQueuedRequests must be positive: " + max);
      }
      this.maxQueuedRequests = max;
      return this;
    }

    /**
     * Where upload sessions keep their data, default a new temporary directory removed on close.
     *
     * @param directory an existing directory, ideally on the stores' file system
     * @return this builder
     */
    public Builder uploadDirectory(Path directory) {
      this.uploadDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Requires HTTP basic authentication against an htpasswd file of bcrypt hashes ({@code htpasswd
     * -Bc FILE USER}).
     *
     * @param file the htpasswd file
     * @return this builder
     */
    public Builder htpasswd(Path file) {
      this.htpasswd = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Serves HTTPS with a certificate chain and its private key, both PEM files.
     *
     * @param certificate the certificate chain
     * @param key the private key (PKCS#8 or PKCS#1)
     * @return this builder
     */
    public Builder tls(Path certificate, Path key) {
      this.tlsCertificate = Objects.requireNonNull(certificate, "certificate");
      this.tlsKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Runs on the caller's Vert.x instance instead of one of its own (then not closed with the
     * server).
     *
     * @param vertx the instance
     * @return this builder
     */
    public Builder vertx(Vertx vertx) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      return this;
    }

    /**
     * Receives one line per request answered: client, method, URI, status, bytes, milliseconds.
     *
     * @param sink the consumer, called on event-loop threads (it must not block)
     * @return this builder
     */
    public Builder accessLog(Consumer<String> sink) {
      this.accessLog = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server
     * @throws IllegalStateException if no repository provider was given
     * @throws IOException if the port cannot be bound, or the htpasswd, certificate or key file
     *     cannot be read
     */
    public RegistryServer start() throws IOException {
      if (provider == null) {
        throw new IllegalStateException(
            "no repositories: call repositories(RepositoryProvider.ociLayouts(dir))"
                + " or repositories(RepositoryProvider.memory())");
      }
      Htpasswd auth = htpasswd == null ? null : Htpasswd.load(htpasswd);
      if (tlsCertificate != null) {
        for (Path file : new Path[] {tlsCertificate, tlsKey}) {
          if (!Files.isReadable(Objects.requireNonNull(file))) {
            throw new IOException(
                file + ": cannot read the TLS " + (file == tlsKey ? "key" : "certificate"));
          }
        }
      }
      Path owned = uploadDirectory == null ? Files.createTempDirectory("stevedore-uploads-") : null;
      Path uploads = uploadDirectory != null ? uploadDirectory : owned;
      boolean ownsVertx = vertx == null;
      Vertx instance =
          vertx != null
              ? vertx
              : Vertx.vertx(
                  new VertxOptions()
                      // one event loop per core (Vert.x's default is two): each loop has its
                      // own buffer arena and thread; a registry moves big bodies, not many small
                      // messages
                      .setEventLoopPoolSize(eventLoops)
                      // Vert.x's own blocking pools (file opens for sendFile, DNS); ours is apart
                      .setWorkerPoolSize(4)
                      .setInternalBlockingPoolSize(4)
                      .setMaxWorkerExecuteTime(1)
                      .setMaxWorkerExecuteTimeUnit(TimeUnit.DAYS)
                      .setWarningExceptionTime(1)
                      .setWarningExceptionTimeUnit(TimeUnit.DAYS));
      try {
        return new RegistryServer(
            this, instance, ownsVertx, Objects.requireNonNull(uploads), owned, auth);
      } catch (IOException | RuntimeException e) {
        if (ownsVertx) {
          instance.close();
        }
        if (owned != null) {
          deleteTree(owned);
        }
        throw e;
      }
    }
  }
}
