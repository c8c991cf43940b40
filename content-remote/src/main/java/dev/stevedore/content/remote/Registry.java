package dev.stevedore.content.remote;

import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.PageConsumer;
import dev.stevedore.content.Reference;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A registry host: ping ({@code GET /v2/}), the catalog of repositories, and
 * {@linkplain #repository(String) repositories} that share this registry's connection pool.
 *
 * <p>Thread-safe. Blocking, interruptible, refused on a Vert.x event-loop thread. Close it to
 * release the connection pool (and the Vert.x instance it created); repositories obtained from it
 * then throw {@link IllegalStateException}.
 */
public final class Registry implements AutoCloseable {
  private final RegistryClient client;

  private Registry(RegistryClient client) {
    this.client = client;
  }

  /**
   * A builder; give it {@link Builder#host(String)}.
   *
   * @return a new builder with the defaults stated on its methods
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The registry host with its port.
   *
   * @return e.g. {@code localhost:5000}
   */
  public String host() {
    return client.settings().registry();
  }

  /**
   * The base URL of the registry.
   *
   * @return e.g. {@code http://localhost:5000}
   */
  public URI baseUrl() {
    return client.base();
  }

  /**
   * Checks that the host speaks the distribution API: {@code GET /v2/} answers 200.
   *
   * @throws RegistryResponseException if it answers otherwise (401: credentials are needed; 404: not a registry)
   * @throws IOException if it cannot be reached
   */
  public void ping() throws IOException {
    URI uri = client.uri("/v2/");
    client.run("pinging " + uri, c -> client.transport().send(HttpRequest.of(HttpMethod.GET, uri, c))
        .compose(r -> r.status() == 200 ? r.discard() : ErrorResponses.fail(r, null)));
  }

  /**
   * Lists repositories page by page ({@code GET /v2/_catalog?n=&last=}, following {@code Link}).
   *
   * @param last the repository to start after, or null
   * @param consumer receives each page
   * @throws IOException if the listing fails or the consumer throws
   */
  public void repositories(@Nullable String last, PageConsumer<String> consumer) throws IOException {
    Objects.requireNonNull(consumer, "consumer");
    URI uri = client.uri("/v2/_catalog");
    int pageSize = client.settings().repositoryListPageSize();
    if (pageSize > 0) {
      uri = Paging.withQuery(uri, "n", Integer.toString(pageSize));
    }
    if (last != null && !last.isEmpty()) {
      uri = Paging.withQuery(uri, "last", last);
    }
    for (URI next = uri; next != null; ) {
      Paging.Page page = Paging.get(client, next, Map.of(), "listing the repositories of " + host());
      List<String> names = Paging.strings(page, "repositories");
      if (last != null && !last.isEmpty()) {
        names = names.stream().filter(n -> n.compareTo(last) > 0).toList();
      }
      if (!names.isEmpty()) {
        consumer.accept(names);
      }
      next = page.next();
    }
  }

  /**
   * All repositories, collected from every page.
   *
   * @return the repository names
   * @throws IOException if the listing fails
   */
  public List<String> listRepositories() throws IOException {
    List<String> all = new ArrayList<>();
    repositories(null, all::addAll);
    return all;
  }

  /**
   * A repository of this registry, sharing its connection pool and settings. Closing the
   * repository does nothing; closing the registry closes it. On Docker Hub a single name is in
   * the {@code library/} namespace, as docker resolves it: {@code alpine} is {@code library/alpine}.
   *
   * @param name the repository name, e.g. {@code library/alpine}
   * @return the repository
   * @throws InvalidReferenceException if the name is not a valid repository name
   */
  public Repository repository(String name) throws InvalidReferenceException {
    Objects.requireNonNull(name, "name");
    if (!Reference.isValidRepository(name)) {
      throw new InvalidReferenceException("invalid repository name \"" + name
          + "\": lower-case letters and digits separated by '.', '_', '__', '-' or '/'");
    }
    return new Repository(client, DockerHubNames.repository(host(), name), false);
  }

  /** Releases the connection pool and the Vert.x instance this registry created, if any. */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "Registry[" + host() + "]";
  }

  /** Builds a {@link Registry}; the settings are those of {@link Repository.Builder}, plus the catalog page size. */
  public static final class Builder {
    private final Repository.Builder shared = Repository.builder();
    private @Nullable String host;
    private int repositoryListPageSize;

    Builder() {}

    /**
     * The registry host with an optional port, e.g. {@code localhost:5000}. Docker Hub's names
     * ({@code docker.io}, {@code index.docker.io}) talk to {@code registry-1.docker.io}, as docker
     * and oras do.
     *
     * @param registryHost the host
     * @return this builder
     */
    public Builder host(String registryHost) {
      this.host = Objects.requireNonNull(registryHost, "registryHost");
      return this;
    }

    /**
     * Speak plain HTTP instead of HTTPS (default: HTTPS).
     *
     * @return this builder
     */
    public Builder plainHttp() {
      shared.plainHttp();
      return this;
    }

    /**
     * Runs on the caller's Vert.x instance; the caller closes it.
     *
     * @param vertx the instance
     * @return this builder
     */
    public Builder vertx(Vertx vertx) {
      shared.vertx(vertx);
      return this;
    }

    /**
     * HTTP client settings; see {@link Repository.Builder#httpClientOptions}.
     *
     * @param options the options
     * @return this builder
     */
    public Builder httpClientOptions(HttpClientOptions options) {
      shared.httpClientOptions(options);
      return this;
    }

    /**
     * Connection pool settings; see {@link Repository.Builder#poolOptions}.
     *
     * @param options the options
     * @return this builder
     */
    public Builder poolOptions(PoolOptions options) {
      shared.poolOptions(options);
      return this;
    }

    /**
     * The User-Agent header. Default {@code stevedore/0.1}.
     *
     * @param userAgent the value
     * @return this builder
     */
    public Builder userAgent(String userAgent) {
      shared.userAgent(userAgent);
      return this;
    }

    /**
     * The manifest media types; see {@link Repository.Builder#manifestMediaTypes}.
     *
     * @param mediaTypes the types
     * @return this builder
     */
    public Builder manifestMediaTypes(List<String> mediaTypes) {
      shared.manifestMediaTypes(mediaTypes);
      return this;
    }

    /**
     * The tag list page size of its repositories; 0 lets the registry choose. Default 0.
     *
     * @param size the size
     * @return this builder
     */
    public Builder tagListPageSize(int size) {
      shared.tagListPageSize(size);
      return this;
    }

    /**
     * The referrer list page size of its repositories; 0 lets the registry choose. Default 0.
     *
     * @param size the size
     * @return this builder
     */
    public Builder referrerListPageSize(int size) {
      shared.referrerListPageSize(size);
      return this;
    }

    /**
     * The catalog page size; 0 lets the registry choose. Default 0.
     *
     * @param size the size
     * @return this builder
     */
    public Builder repositoryListPageSize(int size) {
      Repository.Builder.checkNotNegative(size, "repository list page size");
      this.repositoryListPageSize = size;
      return this;
    }

    /**
     * The metadata limit. Default 4 MiB.
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxMetadataBytes(long bytes) {
      shared.maxMetadataBytes(bytes);
      return this;
    }

    /**
     * Keep superseded referrers indexes (referrers GC off). Default: deleted.
     *
     * @return this builder
     */
    public Builder keepSupersededReferrersIndexes() {
      shared.keepSupersededReferrersIndexes();
      return this;
    }

    /**
     * Chunked uploads; see {@link Repository.Builder#chunkedUploads}.
     *
     * @param threshold the smallest blob uploaded in chunks
     * @param chunkSize the chunk size
     * @return this builder
     */
    public Builder chunkedUploads(long threshold, int chunkSize) {
      shared.chunkedUploads(threshold, chunkSize);
      return this;
    }

    /**
     * The idle timeout of a request. Default 60 s.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      shared.idleTimeout(timeout);
      return this;
    }

    Builder transportLayers(UnaryOperator<HttpTransport> layers) {
      shared.transportLayers(layers);
      return this;
    }

    /**
     * Where credentials come from, per registry host (default: anonymous).
     *
     * @param provider the provider
     * @return this builder
     * @see Repository.Builder#credentials
     */
    public Builder credentials(dev.stevedore.content.remote.credentials.CredentialProvider provider) {
      shared.credentials(provider);
      return this;
    }

    /**
     * How transient failures are retried (default: {@link RetryPolicy#defaults()}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) {
      shared.retryPolicy(policy);
      return this;
    }

    /**
     * Trusts the CA certificates of PEM files in addition to the JVM's trust store.
     *
     * @param pemFiles the PEM files
     * @return this builder
     */
    public Builder trustCertificates(java.nio.file.Path... pemFiles) {
      shared.trustCertificates(pemFiles);
      return this;
    }

    /**
     * Skips TLS certificate verification (opt-in, logged once).
     *
     * @return this builder
     */
    public Builder insecure() {
      shared.insecure();
      return this;
    }

    /**
     * Fetches tokens with the OAuth2 password grant instead of a GET with Basic credentials.
     *
     * @return this builder
     */
    public Builder forceOAuth2() {
      shared.forceOAuth2();
      return this;
    }

    /**
     * Builds the registry.
     *
     * @return the registry
     * @throws IllegalStateException if no host was given
     */
    public Registry build() {
      if (host == null) {
        throw new IllegalStateException("a registry needs a host: call host(...)");
      }
      Settings settings = shared.settings().with(m -> {
        m.registry = DockerHubNames.host(host);
        m.repositoryListPageSize = repositoryListPageSize;
        return m;
      });
      return new Registry(new RegistryClient(settings));
    }
  }
}
