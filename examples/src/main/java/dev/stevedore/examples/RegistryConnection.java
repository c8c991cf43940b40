package dev.stevedore.examples;

import dev.stevedore.content.Reference;
import dev.stevedore.content.remote.Registry;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.CredentialProvider;
import dev.stevedore.content.remote.credentials.DockerConfigStore;
import java.util.Objects;

/**
 * How the examples reach a registry: the transport and where credentials come from.
 *
 * @param transport HTTPS (the default), HTTPS without certificate checks, or plain HTTP
 * @param credentials the credentials per registry host
 */
public record RegistryConnection(Transport transport, CredentialProvider credentials) {

  /** The transport to a registry. */
  public enum Transport {
    /** HTTPS with certificate verification. */
    HTTPS,
    /**
     * HTTPS without certificate verification: for test registries with self-signed certificates
     * only.
     */
    INSECURE_TLS,
    /** Plain HTTP: for local registries only. */
    PLAIN_HTTP
  }

  /**
   * Validates the parts.
   *
   * @throws NullPointerException if a part is missing
   */
  public RegistryConnection {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(credentials, "credentials");
  }

  /**
   * HTTPS with the credentials {@code docker login} saved ({@code ~/.docker/config.json}).
   *
   * @return the connection
   */
  public static RegistryConnection dockerDefaults() {
    return new RegistryConnection(Transport.HTTPS, DockerConfigStore.openDefault());
  }

  /**
   * A copy with another transport.
   *
   * @param newTransport the transport
   * @return the new connection
   */
  public RegistryConnection withTransport(Transport newTransport) {
    return new RegistryConnection(newTransport, credentials);
  }

  /**
   * A copy with other credentials.
   *
   * @param newCredentials the credentials
   * @return the new connection
   */
  public RegistryConnection withCredentials(CredentialProvider newCredentials) {
    return new RegistryConnection(transport, newCredentials);
  }

  /**
   * Opens a repository; the caller closes it.
   *
   * @param reference the repository (a tag or digest in it is ignored)
   * @return the repository
   */
  public Repository repository(Reference reference) {
    Repository.Builder builder =
        Repository.builder()
            .registry(reference.registry())
            .name(reference.repository())
            .credentials(credentials);
    switch (transport) {
      case PLAIN_HTTP -> builder.plainHttp();
      case INSECURE_TLS -> builder.insecure();
      case HTTPS -> {}
    }
    return builder.build();
  }

  /**
   * Opens a registry; the caller closes it.
   *
   * @param host the host with an optional port
   * @return the registry
   */
  public Registry registry(String host) {
    return registryBuilder(host).build();
  }

  /**
   * A registry builder with this connection's settings, for callers that set more.
   *
   * @param host the host with an optional port
   * @return the builder
   */
  public Registry.Builder registryBuilder(String host) {
    Registry.Builder builder = Registry.builder().host(host).credentials(credentials);
    switch (transport) {
      case PLAIN_HTTP -> builder.plainHttp();
      case INSECURE_TLS -> builder.insecure();
      case HTTPS -> {}
    }
    return builder;
  }
}
