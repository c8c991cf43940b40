package dev.stevedore.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a {@link RegistryServer} in-process on {@code 127.0.0.1} and a free
 * port, for the tests of a class: no registry binary, no Docker engine. Register it on a static
 * field; it starts before the first test and stops after the last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedRegistryExtension REGISTRY = EmbeddedRegistryExtension.memory();
 * ...
 * Repository repo = Repository.builder().registry(REGISTRY.hostPort()).name("app").plainHttp().build();
 * }</pre>
 *
 * <p>Needs JUnit Jupiter on the class path (the registry-server module depends on it optionally).
 */
public final class EmbeddedRegistryExtension implements BeforeAllCallback, AfterAllCallback {
  private final boolean layouts;
  private final Consumer<RegistryServer.Builder> options;
  private @Nullable RegistryServer server;
  private @Nullable Path root;

  private EmbeddedRegistryExtension(boolean layouts, Consumer<RegistryServer.Builder> options) {
    this.layouts = layouts;
    this.options = options;
  }

  /**
   * A registry of memory stores, with the default options.
   *
   * @return the extension
   */
  public static EmbeddedRegistryExtension memory() {
    return memory(b -> {});
  }

  /**
   * A registry of memory stores, with options of the caller's (the repositories are set after
   * them).
   *
   * @param options applied to the builder, e.g. {@code b -> b.referrersPageSize(2)}
   * @return the extension
   */
  public static EmbeddedRegistryExtension memory(Consumer<RegistryServer.Builder> options) {
    return new EmbeddedRegistryExtension(false, Objects.requireNonNull(options, "options"));
  }

  /**
   * A registry of OCI layouts in a temporary directory, removed after the tests.
   *
   * @return the extension
   */
  public static EmbeddedRegistryExtension ociLayouts() {
    return new EmbeddedRegistryExtension(true, b -> {});
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    RegistryServer.Builder builder = RegistryServer.builder();
    options.accept(builder);
    if (layouts) {
      root = Files.createTempDirectory("stevedore-embedded-registry-");
      builder.repositories(RepositoryProvider.ociLayouts(root));
    } else {
      builder.repositories(RepositoryProvider.memory());
    }
    server = builder.host("127.0.0.1").start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    if (root != null) {
      try (var paths = Files.walk(root)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
      root = null;
    }
  }

  /**
   * The running server.
   *
   * @return the server
   * @throws IllegalStateException before the tests of the class start
   */
  public RegistryServer server() {
    if (server == null) {
      throw new IllegalStateException(
          "the embedded registry runs only during the tests of the class"
              + " that registers it (register it on a static field)");
    }
    return server;
  }

  /**
   * {@code 127.0.0.1:port}, the registry part of references.
   *
   * @return the host and port
   */
  public String hostPort() {
    return server().hostPort();
  }

  /**
   * {@code http://127.0.0.1:port}.
   *
   * @return the URL
   */
  public URI url() {
    return server().url();
  }

  /**
   * The directory of the layouts ({@link #ociLayouts()} only).
   *
   * @return the root
   * @throws IllegalStateException for a memory registry, or outside the tests
   */
  public Path root() {
    if (root == null) {
      throw new IllegalStateException("only an ociLayouts() registry has a root, during its tests");
    }
    return root;
  }
}
