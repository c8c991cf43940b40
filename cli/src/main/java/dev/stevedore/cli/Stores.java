package dev.stevedore.cli;

import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.Reference;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.content.remote.Registry;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.CredentialProvider;
import dev.stevedore.content.remote.credentials.DockerConfigStore;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Opens the stores that targets name, and closes them all at the end of a command. One {@link
 * Registry} per host is shared by every repository of that host (one connection pool).
 */
final class Stores implements Closeable {
  /** Which side of a command a registry is on: its own connection settings and credentials. */
  enum Side {
    /** The source of a copy. */
    SOURCE,
    /** The destination of a copy, and the one target of every other command. */
    DESTINATION
  }

  private static final System.Logger WARNINGS = System.getLogger("dev.stevedore.cli.registry");
  private static final System.Logger LOG = System.getLogger(Stores.class.getName());

  private final Map<Side, Connection> connections = new EnumMap<>(Side.class);
  private final Map<Side, CredentialProvider> credentials = new EnumMap<>(Side.class);
  private final Map<String, Registry> registries = new LinkedHashMap<>();
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** Stores of a one-target command: the global connection settings. */
  Stores(GlobalOptions options, Main.Context context) throws IOException {
    this(options.connection(), null, context);
  }

  /**
   * Stores with a connection per side (copy): credentials of one side are never sent to the other.
   *
   * @param source the source's settings
   * @param destination the destination's settings, or null for the source's (one connection)
   * @param context stdin and environment
   * @throws IOException if a password cannot be read
   */
  Stores(Connection source, @Nullable Connection destination, Main.Context context)
      throws IOException {
    // a one-target command compares nothing: a record's equals is bootstrapped through method
    // handles on first use, a measurable part of a quick command's start-up
    if (destination == null) {
      destination = source;
    }
    boolean shared = source == destination || source.equals(destination);
    if (!shared && source.passwordStdin() && destination.passwordStdin()) {
      throw new UsageException(
          "standard input holds one password: use --password-stdin for one side"
              + " and the docker config (stevedore login) or -p for the other");
    }
    connections.put(Side.SOURCE, source);
    connections.put(Side.DESTINATION, destination);
    CredentialProvider destinationCredentials = credentials(destination, context);
    credentials.put(Side.DESTINATION, destinationCredentials);
    credentials.put(Side.SOURCE, shared ? destinationCredentials : credentials(source, context));
  }

  /**
   * Opens a target for reading.
   *
   * @param target the target
   * @return the store
   * @throws IOException if it cannot be opened
   */
  ReadOnlyGraphTarget openSource(TargetRef target) throws IOException {
    return switch (target.kind()) {
      case REGISTRY -> repository(target, Side.SOURCE);
      case OCI_LAYOUT -> {
        if (!java.nio.file.Files.isDirectory(target.path())) {
          throw new java.nio.file.NoSuchFileException(
              target.path().toString(), null, "no OCI layout there; check the path after oci:");
        }
        yield layout(target);
      }
      case OCI_ARCHIVE -> {
        var archive = OciLayoutStore.openArchive(target.path());
        opened.add(archive);
        yield archive;
      }
    };
  }

  /**
   * Opens a target for writing (a layout is created when missing).
   *
   * @param target the target
   * @return the store
   * @throws IOException if it cannot be opened
   */
  GraphTarget openDestination(TargetRef target) throws IOException {
    return switch (target.kind()) {
      case REGISTRY -> repository(target, Side.DESTINATION);
      case OCI_LAYOUT -> layout(target);
      case OCI_ARCHIVE ->
          throw new UnsupportedContentException(
              "oci-archive targets are read-only: \""
                  + target
                  + "\"; write to an oci: layout and export it instead");
    };
  }

  /**
   * Opens the repository of a registry target.
   *
   * @param target a registry target
   * @return the repository
   * @throws IOException if it cannot be opened
   */
  Repository repository(TargetRef target) throws IOException {
    return repository(target, Side.DESTINATION);
  }

  private Repository repository(TargetRef target, Side side) throws IOException {
    Reference ref = target.registry();
    if (ref == null) {
      throw new InvalidReferenceException("\"" + target + "\" is not a registry target");
    }
    return registry(ref.registry(), side).repository(ref.repository());
  }

  /**
   * The registry client of a host, for a one-target command.
   *
   * @param host the host with its port
   * @return the registry
   */
  Registry registry(String host) {
    return registry(host, Side.DESTINATION);
  }

  private Registry registry(String host, Side side) {
    // The constructor fills both maps for both sides.
    Connection connection = Objects.requireNonNull(connections.get(side), "connection");
    CredentialProvider provider = Objects.requireNonNull(credentials.get(side), "credentials");
    return registries.computeIfAbsent(
        side + " " + host,
        key ->
            withPreloadedVertx(configure(Registry.builder().host(host), host, connection))
                .credentials(provider)
                .build());
  }

  /** The Vert.x instance made ahead at start-up, if any (the client then does not close it). */
  private static Registry.Builder withPreloadedVertx(Registry.Builder builder) {
    io.vertx.core.Vertx vertx = Preloaded.vertx();
    if (vertx == null) {
      return builder;
    }
    LOG.log(System.Logger.Level.DEBUG, "using the Vert.x instance made at start-up");
    return builder.vertx(vertx);
  }

  /**
   * Applies a connection's TLS settings and the user agent to a registry builder.
   *
   * @param builder the builder
   * @param host the registry host
   * @param connection the settings
   * @return the builder
   */
  static Registry.Builder configure(Registry.Builder builder, String host, Connection connection) {
    builder.userAgent("stevedore/" + Versions.version());
    if (connection.plainHttpFor(host)) {
      builder.plainHttp();
    } else if (connection.insecure()) {
      builder.insecure();
    }
    if (connection.caFile() != null) {
      builder.trustCertificates(connection.caFile());
    }
    if (connection.certFile() != null && connection.keyFile() != null) {
      builder.clientCertificate(connection.certFile(), connection.keyFile());
    }
    Connection.Listing listing = connection.listing();
    builder
        .tagListMaxPages(listing.maxPages())
        .referrerListMaxPages(listing.maxPages())
        .tagListPageSize(listing.pageSize())
        .referrerListPageSize(listing.pageSize())
        .repositoryListPageSize(listing.pageSize());
    for (Map.Entry<String, String> header : connection.parsedHeaders().entrySet()) {
      try {
        builder.header(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "invalid -H \"" + header.getKey() + ": " + header.getValue() + "\": " + e.getMessage());
      }
    }
    // a registry's Warning headers (e.g. a deprecation notice) reach the user once each
    builder.warningHandler(
        warning ->
            WARNINGS.log(System.Logger.Level.WARNING, "registry " + host + ": " + warning.text()));
    // what the referrers tag schema could not do (e.g. a registry that refuses DELETE) is a
    // warning, not a failure
    builder.referrersWarningHandler(
        warning -> WARNINGS.log(System.Logger.Level.WARNING, warning.message()));
    return builder;
  }

  /**
   * Credentials of one side: {@code -u} with {@code --password-stdin} (or {@code -p}) for its
   * registries, else what {@code docker login} / {@code stevedore login} saved in the docker config
   * ({@code --registry-config}, {@code $DOCKER_CONFIG/config.json} or {@code
   * ~/.docker/config.json}).
   */
  static CredentialProvider credentials(Connection connection, Main.Context context)
      throws IOException {
    if (connection.username() != null) {
      String password = password(connection, context);
      Credential credential = Credential.basic(connection.username(), password);
      return host -> credential;
    }
    if (connection.passwordStdin() || connection.password() != null) {
      throw new UsageException(
          "a password needs a user name: add -u/--username (or --from-username for a copy's source)");
    }
    // found and opened on first use: a command on layouts only never loads the docker config's
    // classes (nor the JSON mapper they set up)
    return new CredentialProvider() {
      private @Nullable DockerConfigStore store;

      @Override
      public synchronized Credential credential(String registry) throws IOException {
        if (store == null) {
          store = DockerConfigStore.open(configFile(connection, context));
        }
        return store.credential(registry);
      }
    };
  }

  /** The docker config file of a connection. */
  static java.nio.file.Path configFile(Connection connection, Main.Context context) {
    return connection.registryConfig() != null
        ? context.workingDirectory().resolve(connection.registryConfig())
        : DockerConfigStore.defaultConfigFile(context.env());
  }

  // Java 17 target: console() is null without a terminal, and Console.isTerminal() (JDK 22) is not
  // available.
  @SuppressWarnings("SystemConsoleNull")
  static String password(Connection options, Main.Context context) throws IOException {
    if (options.password() != null && options.passwordStdin()) {
      throw new UsageException("--password and --password-stdin both given: use one");
    }
    if (options.passwordStdin()) {
      String text =
          new String(context.stdin().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      String password = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
      if (password.endsWith("\r")) {
        password = password.substring(0, password.length() - 1);
      }
      if (password.isEmpty()) {
        throw new UsageException("--password-stdin read an empty password");
      }
      return password;
    }
    if (options.password() != null) {
      System.getLogger("dev.stevedore.cli")
          .log(
              System.Logger.Level.WARNING,
              "using --password on the command line is insecure (shell history, process list); use --password-stdin");
      return options.password();
    }
    java.io.Console console = System.console();
    if (console == null) {
      throw new UsageException(
          "no password: pass --password-stdin (or run in a terminal to be asked)");
    }
    char[] typed = console.readPassword("Password: ");
    if (typed == null || typed.length == 0) {
      throw new UsageException("no password given");
    }
    return new String(typed);
  }

  private OciLayoutStore layout(TargetRef target) throws IOException {
    return OciLayoutStore.open(target.path());
  }

  @Override
  public void close() {
    for (AutoCloseable c : opened) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a store after the command: nothing useful to report
      }
    }
    registries.values().forEach(Registry::close);
  }
}
