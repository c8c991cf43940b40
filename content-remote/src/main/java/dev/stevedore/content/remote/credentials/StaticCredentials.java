package dev.stevedore.content.remote.credentials;

import java.util.Map;
import java.util.Objects;

/** Fixed credentials per registry host, e.g. from a CI secret. Immutable and thread-safe. */
public final class StaticCredentials implements CredentialProvider {
  private final Map<String, Credential> byHost;

  private StaticCredentials(Map<String, Credential> byHost) {
    this.byHost = Map.copyOf(byHost);
  }

  /**
   * One credential for one registry.
   *
   * @param registry the registry host
   * @param credential the credential
   * @return the provider
   */
  public static StaticCredentials of(String registry, Credential credential) {
    return new StaticCredentials(
        Map.of(DockerHub.normalize(registry), Objects.requireNonNull(credential)));
  }

  /**
   * Credentials for several registries.
   *
   * @param byHost registry host → credential
   * @return the provider
   */
  public static StaticCredentials of(Map<String, Credential> byHost) {
    Map<String, Credential> normalized = new java.util.HashMap<>();
    byHost.forEach((host, credential) -> normalized.put(DockerHub.normalize(host), credential));
    return new StaticCredentials(normalized);
  }

  @Override
  public Credential credential(String registry) {
    return byHost.getOrDefault(DockerHub.normalize(registry), Credential.EMPTY);
  }

  @Override
  public String toString() {
    return "StaticCredentials" + byHost.keySet();
  }
}
