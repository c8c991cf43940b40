package dev.stevedore.examples;

import dev.stevedore.content.remote.credentials.DockerConfigStore;

/** What the examples' {@code main} methods share: the connection settings from the environment. */
final class Examples {
  private Examples() {}

  /**
   * HTTPS with the docker config's credentials; {@code STEVEDORE_PLAIN_HTTP=1} for plain HTTP,
   * {@code STEVEDORE_INSECURE=1} to skip TLS verification.
   */
  static RegistryConnection connectionFromEnvironment() {
    RegistryConnection.Transport transport =
        "1".equals(System.getenv("STEVEDORE_PLAIN_HTTP"))
            ? RegistryConnection.Transport.PLAIN_HTTP
            : "1".equals(System.getenv("STEVEDORE_INSECURE"))
                ? RegistryConnection.Transport.INSECURE_TLS
                : RegistryConnection.Transport.HTTPS;
    return new RegistryConnection(transport, DockerConfigStore.openDefault());
  }
}
