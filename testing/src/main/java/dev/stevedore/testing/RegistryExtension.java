package dev.stevedore.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that provides a running OCI registry to a test class, started once per class
 * and stopped after it:
 *
 * <ol>
 *   <li>{@code STEVEDORE_TEST_REGISTRY=host:port} in the environment: that registry (it must allow
 *       deletes; only for the default configuration);
 *   <li>else the {@code docker-registry} binary (CNCF distribution, Debian package {@code
 *       docker-registry}) on PATH: a process of its own, with temporary storage, deletes enabled,
 *       on a free loopback port, stopped with SIGTERM after the class;
 *   <li>else the class fails with a message that says what to install.
 * </ol>
 *
 * <p>Use it as a field, to reach the registry from any method:
 *
 * <pre>{@code
 * @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();
 * ... REGISTRY.registry().hostPort() ...
 * }</pre>
 *
 * <p>or with {@code @ExtendWith(RegistryExtension.class)} and a {@link TestRegistry} parameter.
 * {@link RegistryConfig} asks for basic auth, token auth or TLS; those always get a process of
 * their own.
 */
public final class RegistryExtension implements BeforeAllCallback, ParameterResolver {
  /** The environment variable naming an existing registry, {@code host:port}. */
  public static final String ENVIRONMENT_VARIABLE = "STEVEDORE_TEST_REGISTRY";

  private final RegistryConfig config;
  private volatile @Nullable TestRegistry registry;

  /** A registry with the default configuration. */
  public RegistryExtension() {
    this(RegistryConfig.defaults());
  }

  /**
   * A registry with a configuration of its own.
   *
   * @param config the configuration
   */
  public RegistryExtension(RegistryConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
  }

  /**
   * The registry of the running test class.
   *
   * @return the registry
   * @throws IllegalStateException if called before the class started (outside a test)
   */
  public TestRegistry registry() {
    TestRegistry running = registry;
    if (running == null) {
      throw new IllegalStateException(
          "the registry is started before the test class runs; call registry() from"
              + " a test, @BeforeAll or @BeforeEach method");
    }
    return running;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    registry = provide(context);
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == TestRegistry.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    TestRegistry running = provide(extensionContext);
    registry = running;
    return running;
  }

  private TestRegistry provide(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    ExtensionContext.Store store =
        classContext.getStore(
            ExtensionContext.Namespace.create(RegistryExtension.class, config.toString()));
    return store
        .getOrComputeIfAbsent(
            Handle.class,
            k -> start(config, System.getenv(ENVIRONMENT_VARIABLE), RegistryProcess.findBinary()),
            Handle.class)
        .registry();
  }

  /** What the class-level store holds; JUnit closes it when the class is done. */
  static final class Handle implements AutoCloseable {
    private final TestRegistry registry;
    private final @Nullable RegistryProcess process;

    Handle(TestRegistry registry, @Nullable RegistryProcess process) {
      this.registry = registry;
      this.process = process;
    }

    TestRegistry registry() {
      return registry;
    }

    @Override
    public void close() {
      if (process != null) {
        process.close();
      }
    }
  }

  /**
   * Picks the registry: the environment's, else a process of the binary, else fails saying what to
   * install.
   */
  static Handle start(RegistryConfig config, @Nullable String external, Optional<Path> binary) {
    if (external != null && !external.isBlank() && config.isDefault()) {
      return new Handle(parseExternal(external.trim()), null);
    }
    if (binary.isPresent()) {
      try {
        RegistryProcess process = RegistryProcess.start(binary.get(), config);
        return new Handle(process.registry(), process);
      } catch (IOException e) {
        throw new ExtensionConfigurationException(
            "could not start "
                + binary.get()
                + " for a test registry ("
                + config
                + "): "
                + e.getMessage(),
            e);
      }
    }
    throw new ExtensionConfigurationException(
        "no OCI registry for the tests: install the CNCF distribution registry"
            + " (Debian/Ubuntu: apt-get install docker-registry, which provides the docker-registry binary on PATH; it"
            + " is started per test class and never as a service), or set "
            + ENVIRONMENT_VARIABLE
            + "=host:port to a running registry with deletes enabled (storage.delete.enabled: true)"
            + (config.isDefault()
                ? ""
                : "; " + config + " always needs the docker-registry binary"));
  }

  static TestRegistry parseExternal(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new ExtensionConfigurationException(
          ENVIRONMENT_VARIABLE + "=\"" + value + "\" is not host:port, e.g. 127.0.0.1:5000");
    }
    String host = value.substring(0, colon);
    try {
      return new TestRegistry(
          host,
          Integer.parseInt(value.substring(colon + 1)),
          false,
          TestRegistry.Source.ENVIRONMENT,
          null);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(
          ENVIRONMENT_VARIABLE + "=\"" + value + "\" is not host:port, e.g. 127.0.0.1:5000", e);
    }
  }
}
