package dev.stevedore.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A running registry handed to a test by {@link RegistryExtension}.
 *
 * @param host the host to connect to, e.g. {@code 127.0.0.1}
 * @param port the port
 * @param tls whether it speaks HTTPS
 * @param source where it comes from
 * @param storage its storage directory when this run started it, or null for an external one
 */
public record TestRegistry(
    String host, int port, boolean tls, Source source, @Nullable Path storage) {

  /** Where a test registry comes from. */
  public enum Source {
    /** {@code STEVEDORE_TEST_REGISTRY=host:port}: a registry someone else runs. */
    ENVIRONMENT,
    /** A {@code docker-registry serve} process started for the test class. */
    PROCESS
  }

  /** Validates the parts. */
  public TestRegistry {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(source, "source");
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port " + port);
    }
  }

  /**
   * {@code host:port}, as references name a registry.
   *
   * @return e.g. {@code 127.0.0.1:45123}
   */
  public String hostPort() {
    return host + ":" + port;
  }

  /**
   * The base URL.
   *
   * @return e.g. {@code http://127.0.0.1:45123}
   */
  public URI baseUrl() {
    return URI.create((tls ? "https" : "http") + "://" + hostPort());
  }
}
