package dev.stevedore.content.remote;

import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.PageConsumer;
import dev.stevedore.content.Reference;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A registry host: ping ({@code GET /v2/}), the catalog of repositories, and {@linkplain
 * #repository(String) repositories} that share this registry's connection pool.
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

  RegistryClient client() {
    return client;
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
    return client.host();
  }

  /**
   * The options this registry was built with.
   *
   * @return the options
   */
  public RegistryOptions options() {
    return client.options();
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
   * @throws RegistryResponseException if it answers otherwise (401: credentials are needed; 404:
   *     not a registry)
   * @throws IOException if it cannot be reached
   */
  public void ping() throws IOException {
    URI uri = client.uri("/v2/");
    client.run(
        "pinging " + uri,
        c ->
            client
                .transport()
                .send(HttpRequest.of(HttpMethod.GET, uri, c))
                .compose(r -> r.status() == 200 ? r.discard() : ErrorResponses.fail(r, null)));
  }

  /**
   * Lists repositories page by page ({@code GET /v2/_catalog?n=&last=}, following {@code Link}).
   *
   * @param last the repository to start after, or null
   * @param consumer receives each page
   * @throws IOException if the listing fails or the consumer throws
   */
  public void repositories(@Nullable String last, PageConsumer<String> consumer)
      throws IOException {
    Objects.requireNonNull(consumer, "consumer");
    URI uri = client.uri("/v2/_catalog");
    int pageSize = client.options().repositoryListPageSize();
    if (pageSize > 0) {
      uri = Paging.withQuery(uri, "n", Integer.toString(pageSize));
    }
    if (last != null && !last.isEmpty()) {
      uri = Paging.withQuery(uri, "last", last);
    }
    for (URI next = uri; next != null; ) {
      Paging.Page page =
          Paging.get(client, next, Map.of(), "listing the repositories of " + host());
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
   * A repository of this registry, sharing its connection pool and settings. Closing the repository
   * does nothing; closing the registry closes it. On Docker Hub a single name is in the {@code
   * library/} namespace, as docker resolves it: {@code alpine} is {@code library/alpine}.
   *
   * @param name the repository name, e.g. {@code library/alpine}
   * @return the repository
   * @throws InvalidReferenceException if the name is not a valid repository name
   */
  public Repository repository(String name) throws InvalidReferenceException {
    Objects.requireNonNull(name, "name");
    if (!Reference.isValidRepository(name)) {
      throw new InvalidReferenceException(
          "invalid repository name \""
              + name
              + "\": lower-case letters and digits separated by '.', '_', '__', '-' or '/'");
    }
    return new Repository(this, DockerHubNames.repository(host(), name), false);
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

  /**
   * Builds a {@link Registry}: a {@link #host(String)} and the options of {@link RegistryOptions}
   * (set one by one, or all at once with {@link #options(RegistryOptions)}). Not thread-safe.
   */
  public static final class Builder extends RegistryOptions.AbstractBuilder<Builder> {
    private @Nullable String host;

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
     * Builds the registry; it owns its connection pool (and a Vert.x instance unless one was
     * given).
     *
     * @return the registry
     * @throws IllegalStateException if no host was given
     * @throws IllegalArgumentException if the host is not a valid host, or a certificate file holds
     *     no certificate
     */
    public Registry build() {
      if (host == null) {
        throw new IllegalStateException("a registry needs a host: call host(...)");
      }
      return new Registry(
          new RegistryClient(DockerHubNames.host(host), buildOptions(), transportLayers()));
    }
  }
}
