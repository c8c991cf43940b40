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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens the stores that targets name, and closes them all at the end of a command. One
 * {@link Registry} per host is shared by every repository of that host (one connection pool).
 */
final class Stores implements Closeable {
  private final GlobalOptions options;
  private final CredentialProvider credentials;
  private final Map<String, Registry> registries = new LinkedHashMap<>();
  private final List<AutoCloseable> opened = new ArrayList<>();

  Stores(GlobalOptions options, Main.Context context) throws IOException {
    this.options = options;
    this.credentials = credentials(options, context);
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
      case REGISTRY -> repository(target);
      case OCI_LAYOUT -> {
        if (!java.nio.file.Files.isDirectory(target.path())) {
          throw new java.nio.file.NoSuchFileException(target.path().toString(), null,
              "no OCI layout there; check the path after oci:");
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
      case REGISTRY -> repository(target);
      case OCI_LAYOUT -> layout(target);
      case OCI_ARCHIVE -> throw new UnsupportedContentException("oci-archive targets are read-only: \"" + target
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
    Reference ref = target.registry();
    if (ref == null) {
      throw new InvalidReferenceException("\"" + target + "\" is not a registry target");
    }
    return registry(ref.registry()).repository(ref.repository());
  }

  /**
   * The registry client of a host.
   *
   * @param host the host with its port
   * @return the registry
   */
  Registry registry(String host) {
    return registries.computeIfAbsent(host, h -> {
      Registry.Builder builder = Registry.builder().host(h).userAgent("stevedore/" + Versions.version())
          .credentials(credentials).warningHandler(w -> options.warnings.registry(h, w))
          .referrersWarningHandler(options.warnings::referrers);
      if (options.plainHttpFor(h)) {
        builder.plainHttp();
      } else if (options.insecure) {
        builder.insecure();
      }
      if (options.caFile != null) {
        builder.trustCertificates(options.caFile);
      }
      return builder.build();
    });
  }

  /**
   * Credentials for every registry of a command: {@code -u} with {@code --password-stdin} (or
   * {@code -p}) for all hosts, else what {@code docker login} / {@code stevedore login} saved in
   * the docker config ({@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}).
   */
  static CredentialProvider credentials(GlobalOptions options, Main.Context context) throws IOException {
    if (options.username != null) {
      String password = password(options, context);
      Credential credential = Credential.basic(options.username, password);
      return host -> credential;
    }
    if (options.passwordStdin || options.password != null) {
      throw new IllegalArgumentException("a password needs a user name: add -u/--username");
    }
    return DockerConfigStore.open(DockerConfigStore.defaultConfigFile(context.env()));
  }

  static String password(GlobalOptions options, Main.Context context) throws IOException {
    if (options.passwordStdin) {
      String text = new String(context.stdin().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      String password = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
      if (password.endsWith("\r")) {
        password = password.substring(0, password.length() - 1);
      }
      if (password.isEmpty()) {
        throw new IllegalArgumentException("--password-stdin read an empty password");
      }
      return password;
    }
    if (options.password != null) {
      return options.password;
    }
    java.io.Console console = System.console();
    if (console == null) {
      throw new IllegalArgumentException("no password: pass --password-stdin (or run in a terminal to be asked)");
    }
    char[] typed = console.readPassword("Password: ");
    if (typed == null || typed.length == 0) {
      throw new IllegalArgumentException("no password given");
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
