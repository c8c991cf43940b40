package dev.stevedore.content.remote;

import dev.stevedore.content.Contents;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.remote.credentials.CredentialProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything that configures a registry client, immutable: one value that a {@link Registry} and
 * every {@link Repository} built from it share. Build it with {@link #builder()} (or set the same
 * options directly on {@link Registry.Builder} and {@link Repository.Builder}, which extend the
 * same {@link AbstractBuilder}); every setter validates its argument at once and throws, as
 * Caffeine's builder does, so a wrong value fails where it is written, not at the first request.
 *
 * <pre>{@code
 * RegistryOptions options = RegistryOptions.builder()
 *     .credentials(DockerConfigStore.openDefault())
 *     .idleTimeout(Duration.ofSeconds(30))
 *     .header("X-Request-Source", "nightly-mirror")
 *     .build();
 * try (Registry registry = Registry.builder().host("ghcr.io").options(options).build()) { ... }
 * }</pre>
 *
 * <p>The defaults are stated on each setter of {@link AbstractBuilder} and in {@link #defaults()}.
 * The Vert.x option objects are mutable: the record copies them on the way in and hands out copies,
 * so a caller cannot change a built value.
 *
 * @param plainHttp speak plain HTTP instead of HTTPS
 * @param vertx the caller's Vert.x instance, or null to let the client create (and close) one
 * @param httpClientOptions Vert.x HTTP client settings (a copy)
 * @param poolOptions connection pool settings (a copy)
 * @param userAgent the User-Agent header
 * @param headers extra headers sent with every request to the registry (case-insensitive names)
 * @param manifestMediaTypes the manifest media types, in preference order
 * @param tagListPageSize the {@code n} of a tag listing, 0 to let the registry choose
 * @param referrerListPageSize the {@code n} of a referrers listing, 0 to let the registry choose
 * @param repositoryListPageSize the {@code n} of a catalog listing, 0 to let the registry choose
 * @param tagListMaxPages the most pages one tag listing may take, 0 for no limit
 * @param referrerListMaxPages the most pages one referrers listing may take, 0 for no limit
 * @param maxMetadataBytes the most bytes of metadata (a manifest, a page of a listing) read into
 *     memory
 * @param referrersGc delete a superseded referrers tag-schema index
 * @param chunkedUploadThreshold the smallest blob uploaded in chunks
 * @param uploadChunkSize the size of an upload chunk
 * @param idleTimeout how long the registry may send nothing before a request fails
 * @param credentials where credentials come from, per registry host
 * @param retryPolicy how transient failures are retried
 * @param forceOAuth2 fetch tokens with the OAuth2 password grant
 * @param trustedCertificates PEM files of CA certificates trusted besides the JVM's trust store
 * @param clientCertificate a client certificate for mutual TLS, or null
 * @param insecure skip TLS certificate verification
 * @param warningHandler receives each {@code Warning: 299} header of a response
 * @param referrersWarningHandler receives the best-effort steps of the referrers tag schema that
 *     did not happen (a refused DELETE of a superseded index, a tag that is not a referrers index)
 */
public record RegistryOptions(
    boolean plainHttp,
    @Nullable Vertx vertx,
    HttpClientOptions httpClientOptions,
    PoolOptions poolOptions,
    String userAgent,
    Map<String, String> headers,
    List<String> manifestMediaTypes,
    int tagListPageSize,
    int referrerListPageSize,
    int repositoryListPageSize,
    int tagListMaxPages,
    int referrerListMaxPages,
    long maxMetadataBytes,
    boolean referrersGc,
    long chunkedUploadThreshold,
    int uploadChunkSize,
    Duration idleTimeout,
    CredentialProvider credentials,
    RetryPolicy retryPolicy,
    boolean forceOAuth2,
    List<Path> trustedCertificates,
    @Nullable ClientCertificate clientCertificate,
    boolean insecure,
    Consumer<RegistryWarning> warningHandler,
    Consumer<ReferrersWarning> referrersWarningHandler) {

  /** The default User-Agent. */
  public static final String DEFAULT_USER_AGENT = "stevedore/0.1";

  /**
   * The default manifest media types: Docker v2 manifest and list, OCI manifest, index and artifact
   * manifest.
   */
  public static final List<String> DEFAULT_MANIFEST_MEDIA_TYPES =
      List.of(
          MediaTypes.DOCKER_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST,
          MediaTypes.OCI_MANIFEST,
          MediaTypes.OCI_INDEX,
          MediaTypes.OCI_ARTIFACT_MANIFEST);

  /**
   * The default chunked-upload threshold: never ({@link Long#MAX_VALUE}); every blob of known size
   * goes up in one {@code PUT}, as oras-go and jib-core send it. On a loopback distribution 2.8 a 1
   * GiB blob in 8 MiB chunks took about twice as long as one {@code PUT}, for any client (curl and
   * a minimal script included), since the registry does per-chunk work; opt in with {@link
   * AbstractBuilder#chunkedUploads} where resuming a huge upload matters more than its speed.
   */
  public static final long DEFAULT_CHUNKED_UPLOAD_THRESHOLD = Long.MAX_VALUE;

  /** The default upload chunk size, 8 MiB. */
  public static final int DEFAULT_UPLOAD_CHUNK_SIZE = 8 * 1024 * 1024;

  /** The smallest upload chunk accepted. */
  public static final int MIN_UPLOAD_CHUNK_SIZE = 1024;

  /** The default idle timeout, 60 s. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** The default number of HTTP/1 connections per host. */
  public static final int DEFAULT_MAX_CONNECTIONS = 16;

  /** Warnings are ignored unless a handler is set, as oras-go does. */
  private static void ignoreWarning(RegistryWarning warning) {}

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** Headers the client sets itself; an extra header may not replace them. */
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "upgrade",
          "te",
          "trailer",
          "expect");

  /**
   * A client certificate and its private key, for registries that require mutual TLS.
   *
   * @param certificate a PEM file with the certificate (and its chain)
   * @param key a PEM file with the private key (PKCS#8 or PKCS#1, unencrypted)
   */
  public record ClientCertificate(Path certificate, Path key) {
    /** Validates: both paths are given. */
    public ClientCertificate {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
    }
  }

  /** Validates every component and copies the mutable ones. */
  public RegistryOptions {
    httpClientOptions =
        new HttpClientOptions(Objects.requireNonNull(httpClientOptions, "httpClientOptions"));
    poolOptions = new PoolOptions(Objects.requireNonNull(poolOptions, "poolOptions"));
    checkUserAgent(userAgent);
    headers = copyHeaders(headers);
    manifestMediaTypes = checkMediaTypes(manifestMediaTypes);
    checkNotNegative(tagListPageSize, "tag list page size");
    checkNotNegative(referrerListPageSize, "referrer list page size");
    checkNotNegative(repositoryListPageSize, "repository list page size");
    checkNotNegative(tagListMaxPages, "tag list max pages");
    checkNotNegative(referrerListMaxPages, "referrer list max pages");
    checkMaxMetadataBytes(maxMetadataBytes);
    checkChunkedUploads(chunkedUploadThreshold, uploadChunkSize);
    checkIdleTimeout(idleTimeout);
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    trustedCertificates = List.copyOf(trustedCertificates);
    Objects.requireNonNull(warningHandler, "warningHandler");
    Objects.requireNonNull(referrersWarningHandler, "referrersWarningHandler");
  }

  /**
   * The defaults: HTTPS, a Vert.x instance of the client's own, Vert.x's HTTP client defaults with
   * 16 connections per host, User-Agent {@value #DEFAULT_USER_AGENT}, no extra headers, the
   * {@linkplain #DEFAULT_MANIFEST_MEDIA_TYPES usual manifest types}, page sizes chosen by the
   * registry and no page limit, a 4 MiB metadata limit, referrers GC on, blobs of known size in one
   * {@code PUT} (8 MiB chunks when chunked uploads are turned on, and for streams of unknown size),
   * a 60 s idle timeout, anonymous, {@link RetryPolicy#defaults()}, tokens by GET, the JVM's trust
   * store, no client certificate, warnings ignored, referrers warnings logged.
   *
   * @return the default options
   */
  public static RegistryOptions defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options, to derive a variant.
   *
   * @return a new builder holding these options
   */
  public Builder toBuilder() {
    return new Builder().options(this);
  }

  /**
   * A copy of the HTTP client settings.
   *
   * @return a copy, which the caller may change freely
   */
  @Override
  public HttpClientOptions httpClientOptions() {
    return new HttpClientOptions(httpClientOptions);
  }

  /**
   * A copy of the connection pool settings.
   *
   * @return a copy, which the caller may change freely
   */
  @Override
  public PoolOptions poolOptions() {
    return new PoolOptions(poolOptions);
  }

  /**
   * Equal when every option is equal; the Vert.x option objects, which have no equality of their
   * own, compare by their JSON form.
   */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof RegistryOptions that && comparable().equals(that.comparable());
  }

  @Override
  public int hashCode() {
    return comparable().hashCode();
  }

  private List<@Nullable Object> comparable() {
    return java.util.Arrays.asList(
        plainHttp,
        vertx,
        httpClientOptions.toJson(),
        poolOptions.toJson(),
        userAgent,
        headers,
        manifestMediaTypes,
        tagListPageSize,
        referrerListPageSize,
        repositoryListPageSize,
        tagListMaxPages,
        referrerListMaxPages,
        maxMetadataBytes,
        referrersGc,
        chunkedUploadThreshold,
        uploadChunkSize,
        idleTimeout,
        credentials,
        retryPolicy,
        forceOAuth2,
        trustedCertificates,
        clientCertificate,
        insecure,
        warningHandler,
        referrersWarningHandler);
  }

  /** Shows the options without secrets (credential providers and handlers only by type). */
  @Override
  public String toString() {
    return "RegistryOptions["
        + (plainHttp ? "plain HTTP" : insecure ? "HTTPS (unverified)" : "HTTPS")
        + ", userAgent="
        + userAgent
        + ", headers="
        + headers.keySet()
        + ", idleTimeout="
        + idleTimeout
        + ", retry="
        + retryPolicy
        + ", maxMetadataBytes="
        + maxMetadataBytes
        + (trustedCertificates.isEmpty() ? "" : ", trusted=" + trustedCertificates)
        + (clientCertificate == null
            ? ""
            : ", clientCertificate=" + clientCertificate.certificate())
        + "]";
  }

  static void checkNotNegative(int value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + value);
    }
  }

  private static void checkUserAgent(String userAgent) {
    Objects.requireNonNull(userAgent, "userAgent");
    checkHeaderValue("User-Agent", userAgent);
  }

  private static void checkMaxMetadataBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxMetadataBytes must be positive: " + bytes);
    }
  }

  private static void checkChunkedUploads(long threshold, int chunkSize) {
    if (threshold < 0 || chunkSize < MIN_UPLOAD_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "chunked uploads need a threshold >= 0 and a chunk size >= "
              + MIN_UPLOAD_CHUNK_SIZE
              + " bytes: "
              + threshold
              + ", "
              + chunkSize);
    }
  }

  private static void checkIdleTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "idleTimeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("idle timeout must be positive: " + timeout);
    }
    if (timeout.toMillis() == 0) {
      throw new IllegalArgumentException("idle timeout must be at least 1 ms: " + timeout);
    }
  }

  private static List<String> checkMediaTypes(List<String> mediaTypes) {
    List<String> copy = List.copyOf(mediaTypes);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("at least one manifest media type is needed");
    }
    for (String type : copy) {
      checkHeaderValue("Accept", type);
    }
    return copy;
  }

  private static void checkHeaderName(String name) {
    Objects.requireNonNull(name, "header name");
    if (!TOKEN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid header name \"" + name + "\": letters, digits and !#$%&'*+.^_`|~-");
    }
    if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "the header " + name + " is managed by the HTTP client and cannot be set");
    }
  }

  private static void checkHeaderValue(String name, String value) {
    Objects.requireNonNull(value, "value of header " + name);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            "the value of header " + name + " contains a line break or NUL");
      }
    }
  }

  private static Map<String, String> copyHeaders(Map<String, String> headers) {
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      checkHeaderName(header.getKey());
      checkHeaderValue(header.getKey(), header.getValue());
      copy.put(header.getKey(), header.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }

  /**
   * The option setters that {@link Builder}, {@link Registry.Builder} and {@link
   * Repository.Builder} share, so that an option is declared once. Every setter validates its
   * argument and throws at once: {@link NullPointerException} for a null, {@link
   * IllegalArgumentException} for a value out of range. Not thread-safe.
   *
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static sealed class AbstractBuilder<B extends AbstractBuilder<B>>
      permits Builder, Registry.Builder, Repository.Builder {
    private boolean plainHttp;
    private @Nullable Vertx vertx;
    private HttpClientOptions httpClientOptions = new HttpClientOptions();
    private PoolOptions poolOptions = new PoolOptions().setHttp1MaxSize(DEFAULT_MAX_CONNECTIONS);
    private String userAgent = DEFAULT_USER_AGENT;
    private final TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private List<String> manifestMediaTypes = DEFAULT_MANIFEST_MEDIA_TYPES;
    private int tagListPageSize;
    private int referrerListPageSize;
    private int repositoryListPageSize;
    private int tagListMaxPages;
    private int referrerListMaxPages;
    private long maxMetadataBytes = Contents.DEFAULT_MAX_METADATA_BYTES;
    private boolean referrersGc = true;
    private long chunkedUploadThreshold = DEFAULT_CHUNKED_UPLOAD_THRESHOLD;
    private int uploadChunkSize = DEFAULT_UPLOAD_CHUNK_SIZE;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private CredentialProvider credentials = CredentialProvider.ANONYMOUS;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private boolean forceOAuth2;
    private final List<Path> trustedCertificates = new ArrayList<>();
    private @Nullable ClientCertificate clientCertificate;
    private boolean insecure;
    private Consumer<RegistryWarning> warningHandler = RegistryOptions::ignoreWarning;
    private Consumer<ReferrersWarning> referrersWarningHandler = Referrers.LOG_WARNINGS;

    /** Wraps the HTTP seam; tests only, hence not an option of the record. */
    private UnaryOperator<HttpTransport> transportLayers = UnaryOperator.identity();

    AbstractBuilder() {}

    @SuppressWarnings("unchecked") // B is the concrete subclass, as the sealed hierarchy guarantees
    private B self() {
      return (B) this;
    }

    /**
     * Takes every option from a value built before (replacing what was set on this builder).
     *
     * @param options the options
     * @return this builder
     */
    public B options(RegistryOptions options) {
      Objects.requireNonNull(options, "options");
      plainHttp = options.plainHttp();
      vertx = options.vertx();
      httpClientOptions = options.httpClientOptions();
      poolOptions = options.poolOptions();
      userAgent = options.userAgent();
      headers.clear();
      headers.putAll(options.headers());
      manifestMediaTypes = options.manifestMediaTypes();
      tagListPageSize = options.tagListPageSize();
      referrerListPageSize = options.referrerListPageSize();
      repositoryListPageSize = options.repositoryListPageSize();
      tagListMaxPages = options.tagListMaxPages();
      referrerListMaxPages = options.referrerListMaxPages();
      maxMetadataBytes = options.maxMetadataBytes();
      referrersGc = options.referrersGc();
      chunkedUploadThreshold = options.chunkedUploadThreshold();
      uploadChunkSize = options.uploadChunkSize();
      idleTimeout = options.idleTimeout();
      credentials = options.credentials();
      retryPolicy = options.retryPolicy();
      forceOAuth2 = options.forceOAuth2();
      trustedCertificates.clear();
      trustedCertificates.addAll(options.trustedCertificates());
      clientCertificate = options.clientCertificate();
      insecure = options.insecure();
      warningHandler = options.warningHandler();
      referrersWarningHandler = options.referrersWarningHandler();
      return self();
    }

    /**
     * Speak plain HTTP instead of HTTPS (default: HTTPS). For local and test registries only.
     *
     * @return this builder
     */
    public B plainHttp() {
      plainHttp = true;
      return self();
    }

    /**
     * Runs on the caller's Vert.x instance instead of creating one; the caller closes it. Default:
     * the client creates its own, with daemon threads (an unclosed client never keeps the JVM
     * alive), and closes it on {@code close()}.
     *
     * @param instance the instance
     * @return this builder
     */
    public B vertx(Vertx instance) {
      vertx = Objects.requireNonNull(instance, "vertx");
      return self();
    }

    /**
     * HTTP client settings (proxies, timeouts, protocol); copied. Default: Vert.x's defaults.
     * Redirects are always handled by this client, whatever the options say; TLS trust set with
     * {@link #trustCertificates}, {@link #clientCertificate} or {@link #insecure()} overrides
     * theirs.
     *
     * @param options the options
     * @return this builder
     */
    public B httpClientOptions(HttpClientOptions options) {
      httpClientOptions = new HttpClientOptions(Objects.requireNonNull(options, "options"));
      return self();
    }

    /**
     * Connection pool settings; copied. Default: {@value RegistryOptions#DEFAULT_MAX_CONNECTIONS}
     * HTTP/1 connections per host.
     *
     * @param options the options
     * @return this builder
     */
    public B poolOptions(PoolOptions options) {
      poolOptions = new PoolOptions(Objects.requireNonNull(options, "options"));
      return self();
    }

    /**
     * The User-Agent header. Default: {@value RegistryOptions#DEFAULT_USER_AGENT}.
     *
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException if it contains a line break
     */
    public B userAgent(String value) {
      checkUserAgent(value);
      userAgent = value;
      return self();
    }

    /**
     * An extra header sent with every request to the registry, as {@code oras -H} does (a second
     * value for the same name replaces the first). Not sent to token servers nor to another origin
     * a download is redirected to, so a secret in it stays with the registry. A header the
     * operation sets itself ({@code Accept}, {@code Content-Type}, {@code Authorization}, {@code
     * Range}) wins. Default: none.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException if the name is not an HTTP token, is managed by the client
     *     ({@code Host}, {@code Content-Length}, ...), or the value contains a line break
     */
    public B header(String name, String value) {
      checkHeaderName(name);
      checkHeaderValue(name, value);
      headers.put(name, value);
      return self();
    }

    /**
     * The manifest media types: sent as Accept when resolving, and deciding which descriptors are
     * manifests. Default: {@link RegistryOptions#DEFAULT_MANIFEST_MEDIA_TYPES}.
     *
     * @param mediaTypes the types, in preference order
     * @return this builder
     * @throws IllegalArgumentException if the list is empty
     */
    public B manifestMediaTypes(List<String> mediaTypes) {
      manifestMediaTypes = checkMediaTypes(mediaTypes);
      return self();
    }

    /**
     * The page size asked for when listing tags ({@code n}); 0 lets the registry choose. Default 0.
     *
     * @param size the page size
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public B tagListPageSize(int size) {
      checkNotNegative(size, "tag list page size");
      tagListPageSize = size;
      return self();
    }

    /**
     * The page size asked for when listing referrers ({@code n}); 0 lets the registry choose.
     * Default 0.
     *
     * @param size the page size
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public B referrerListPageSize(int size) {
      checkNotNegative(size, "referrer list page size");
      referrerListPageSize = size;
      return self();
    }

    /**
     * The page size asked for when listing the catalog ({@code n}); 0 lets the registry choose.
     * Default 0.
     *
     * @param size the page size
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public B repositoryListPageSize(int size) {
      checkNotNegative(size, "repository list page size");
      repositoryListPageSize = size;
      return self();
    }

    /**
     * The most pages one tag listing may request (oras-go's {@code TagListMaxPages}), against a
     * registry that pages forever; 0 for no limit. A listing that needs more fails with {@link
     * PageLimitExceededException} after delivering the pages it was allowed. Default 0.
     *
     * @param pages the limit
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public B tagListMaxPages(int pages) {
      checkNotNegative(pages, "tag list max pages");
      tagListMaxPages = pages;
      return self();
    }

    /**
     * The most pages one referrers listing may request (oras-go's {@code ReferrerListMaxPages}); 0
     * for no limit. A listing that needs more fails with {@link PageLimitExceededException} after
     * delivering the pages it was allowed. Default 0.
     *
     * @param pages the limit
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public B referrerListMaxPages(int pages) {
      checkNotNegative(pages, "referrer list max pages");
      referrerListMaxPages = pages;
      return self();
    }

    /**
     * The most bytes of metadata (a manifest, a page of a listing) read into memory. Default 4 MiB.
     *
     * @param bytes the limit
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public B maxMetadataBytes(long bytes) {
      checkMaxMetadataBytes(bytes);
      maxMetadataBytes = bytes;
      return self();
    }

    /**
     * Keep superseded referrers indexes instead of deleting them (referrers GC off). Default:
     * deleted.
     *
     * @return this builder
     */
    public B keepSupersededReferrersIndexes() {
      referrersGc = false;
      return self();
    }

    /**
     * Blobs of at least {@code threshold} bytes are uploaded in chunks of {@code chunkSize} bytes
     * ({@code PATCH}), resumable from the registry's offset; smaller ones in one {@code PUT}.
     * Default: no threshold (every blob of known size in one {@code PUT}, see {@link
     * #DEFAULT_CHUNKED_UPLOAD_THRESHOLD}), 8 MiB chunks. Two chunks per upload are held in memory
     * (one in flight, the next being read), so the threshold trades memory and request count for
     * resumability: measured on a loopback distribution 2.8, four 256 MiB layers in 16 MiB chunks
     * took 81 requests and a 111 MiB heap peak, against 17 requests and ~40 MiB in single PUTs
     * (benchmarks/results).
     *
     * @param threshold the smallest blob uploaded in chunks
     * @param chunkSize the chunk size
     * @return this builder
     * @throws IllegalArgumentException if the threshold is negative or the chunk is under 1 KiB
     */
    public B chunkedUploads(long threshold, int chunkSize) {
      checkChunkedUploads(threshold, chunkSize);
      chunkedUploadThreshold = threshold;
      uploadChunkSize = chunkSize;
      return self();
    }

    /**
     * How long the registry may send nothing while a request waits for it before the request fails
     * with {@link RegistryTimeoutException}; a long upload that keeps sending is not cut (an idle
     * connection, nothing read and nothing written, is closed a little later). Default 60 s.
     * Ignored for connections when {@link #httpClientOptions} set an idle timeout of their own.
     *
     * @param timeout the timeout, at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public B idleTimeout(Duration timeout) {
      checkIdleTimeout(timeout);
      idleTimeout = timeout;
      return self();
    }

    /**
     * Where credentials come from, per registry host (default: anonymous). Use {@link
     * dev.stevedore.content.remote.credentials.DockerConfigStore#openDefault()} for what {@code
     * docker login} saved, or {@link dev.stevedore.content.remote.credentials.StaticCredentials}
     * for a fixed secret.
     *
     * @param provider the provider
     * @return this builder
     */
    public B credentials(CredentialProvider provider) {
      credentials = Objects.requireNonNull(provider, "provider");
      return self();
    }

    /**
     * How transient failures are retried (default: {@link RetryPolicy#defaults()}; {@link
     * RetryPolicy#none()} turns retries off).
     *
     * @param policy the policy
     * @return this builder
     */
    public B retryPolicy(RetryPolicy policy) {
      retryPolicy = Objects.requireNonNull(policy, "policy");
      return self();
    }

    /**
     * Fetches tokens with the OAuth2 password grant (POST) instead of a GET with Basic credentials,
     * for token servers that require it. Default: GET.
     *
     * @return this builder
     */
    public B forceOAuth2() {
      forceOAuth2 = true;
      return self();
    }

    /**
     * Trusts the CA certificates of PEM files in addition to the JVM's trust store (calls add up).
     * Default: the JVM's trust store only. The files are read when the client is built.
     *
     * @param pemFiles the PEM files
     * @return this builder
     * @throws IllegalArgumentException if a file does not exist; at {@code build()}, if it holds no
     *     certificate
     */
    public B trustCertificates(Path... pemFiles) {
      for (Path pem : pemFiles) {
        trustedCertificates.add(checkReadable(pem, "CA file"));
      }
      return self();
    }

    /**
     * Presents a client certificate, for registries that require mutual TLS (oras' {@code
     * --cert-file} and {@code --key-file}). Default: none.
     *
     * @param certificatePem a PEM file with the certificate (and its chain)
     * @param keyPem a PEM file with its private key, unencrypted
     * @return this builder
     * @throws IllegalArgumentException if a file does not exist or cannot be read; at {@code
     *     build()}, if the files hold no certificate or key
     */
    public B clientCertificate(Path certificatePem, Path keyPem) {
      clientCertificate =
          new ClientCertificate(
              checkReadable(certificatePem, "client certificate file"),
              checkReadable(keyPem, "client key file"));
      return self();
    }

    /**
     * Skips TLS certificate verification: any server can then impersonate the registry. Opt-in, for
     * test registries with self-signed certificates; logged as a warning once. Default: verified.
     *
     * @return this builder
     */
    public B insecure() {
      insecure = true;
      return self();
    }

    /**
     * Receives the warnings a registry sends ({@code Warning: 299 - "text"} response headers, as
     * oras-go's {@code HandleWarning}), one call per header. It is called on a Vert.x event-loop
     * thread, so it must return quickly and never block; what it throws is logged and ignored.
     * Default: warnings are ignored.
     *
     * @param handler the handler
     * @return this builder
     */
    public B warningHandler(Consumer<RegistryWarning> handler) {
      warningHandler = Objects.requireNonNull(handler, "handler");
      return self();
    }

    /**
     * Receives what the referrers tag schema could not do and did not fail for (oras-go's {@code
     * ReferrersError} that its CLI ignores): the superseded referrers index could not be deleted (a
     * registry that refuses DELETE: GHCR, Docker Hub, distribution with deletes off), or a
     * subject's {@code <alg>-<hex>} tag holds something other than a referrers index. The push,
     * delete or listing that met it succeeds. Called on the thread of that operation; what it
     * throws fails the operation. Default: logged at WARNING through {@link System.Logger}.
     *
     * @param handler the handler
     * @return this builder
     */
    public B referrersWarningHandler(Consumer<ReferrersWarning> handler) {
      referrersWarningHandler = Objects.requireNonNull(handler, "handler");
      return self();
    }

    /** Wraps the HTTP seam (authentication, logging and retry layers; tests). */
    B transportLayers(UnaryOperator<HttpTransport> layers) {
      transportLayers = Objects.requireNonNull(layers, "layers");
      return self();
    }

    UnaryOperator<HttpTransport> transportLayers() {
      return transportLayers;
    }

    /** The options set so far, as a value. */
    RegistryOptions buildOptions() {
      return new RegistryOptions(
          plainHttp,
          vertx,
          httpClientOptions,
          poolOptions,
          userAgent,
          headers,
          manifestMediaTypes,
          tagListPageSize,
          referrerListPageSize,
          repositoryListPageSize,
          tagListMaxPages,
          referrerListMaxPages,
          maxMetadataBytes,
          referrersGc,
          chunkedUploadThreshold,
          uploadChunkSize,
          idleTimeout,
          credentials,
          retryPolicy,
          forceOAuth2,
          trustedCertificates,
          clientCertificate,
          insecure,
          warningHandler,
          referrersWarningHandler);
    }

    private static Path checkReadable(Path file, String what) {
      Objects.requireNonNull(file, what);
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IllegalArgumentException(
            "the " + what + " " + file + " does not exist or cannot be read");
      }
      return file;
    }
  }

  /**
   * Builds a {@link RegistryOptions}; the setters are those of {@link AbstractBuilder}. Not
   * thread-safe.
   */
  public static final class Builder extends AbstractBuilder<Builder> {
    Builder() {}

    /**
     * Builds the options.
     *
     * @return the options
     */
    public RegistryOptions build() {
      return buildOptions();
    }
  }
}
