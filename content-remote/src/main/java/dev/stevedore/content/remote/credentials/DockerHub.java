package dev.stevedore.content.remote.credentials;

/** Docker Hub's host aliases, as the docker CLI and oras resolve them. */
final class DockerHub {
  /** The key Docker writes for Docker Hub in config.json. */
  static final String CONFIG_KEY = "https://index.docker.io/v1/";

  /** The host that serves Docker Hub's registry API. */
  static final String REGISTRY_HOST = "registry-1.docker.io";

  private DockerHub() {}

  /**
   * The canonical host of a registry name: Docker Hub's aliases become {@code
   * registry-1.docker.io}; a URL is reduced to its host.
   */
  static String normalize(String registry) {
    String host = stripScheme(registry);
    return switch (host) {
      case "docker.io",
          "index.docker.io",
          "registry-1.docker.io",
          "index.docker.io/v1",
          "index.docker.io/v1/" ->
          REGISTRY_HOST;
      default -> host;
    };
  }

  /** The key under which config.json stores a registry's credential. */
  static String configKey(String registry) {
    return REGISTRY_HOST.equals(normalize(registry)) ? CONFIG_KEY : normalize(registry);
  }

  static String stripScheme(String registry) {
    String s = registry;
    if (s.startsWith("https://")) {
      s = s.substring("https://".length());
    } else if (s.startsWith("http://")) {
      s = s.substring("http://".length());
    }
    if (s.endsWith("/") && !s.startsWith("index.docker.io")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
