package dev.stevedore.content.remote;

import java.util.Locale;

/**
 * Docker Hub's names, as docker and oras resolve them: {@code docker.io} and {@code
 * index.docker.io} are names for the registry that {@code registry-1.docker.io} serves, and a
 * single-name repository there lives in the {@code library/} namespace ({@code docker.io/alpine} is
 * {@code registry-1.docker.io/library/alpine}). Credentials stay under docker's {@code
 * https://index.docker.io/v1/} key (see the credentials package).
 */
final class DockerHubNames {
  /** The host that serves Docker Hub's distribution API. */
  static final String API_HOST = "registry-1.docker.io";

  private DockerHubNames() {}

  /**
   * The host to talk HTTP to.
   *
   * @param registry the registry as written, e.g. {@code docker.io}
   * @return {@value #API_HOST} for Docker Hub's names, else {@code registry} unchanged
   */
  static String host(String registry) {
    return switch (registry.toLowerCase(Locale.ROOT)) {
      case "docker.io", "index.docker.io", "registry-1.docker.io" -> API_HOST;
      default -> registry;
    };
  }

  /**
   * The repository name to use on a registry.
   *
   * @param registry the registry as written or as mapped by {@link #host}
   * @param name the repository as written, e.g. {@code alpine}
   * @return {@code library/<name>} for a single-name repository of Docker Hub, else {@code name}
   */
  static String repository(String registry, String name) {
    return API_HOST.equals(host(registry)) && name.indexOf('/') < 0 ? "library/" + name : name;
  }
}
