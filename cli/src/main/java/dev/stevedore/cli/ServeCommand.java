package dev.stevedore.cli;

import dev.stevedore.content.Reference;
import dev.stevedore.server.RegistryServer;
import dev.stevedore.server.RepositoryProvider;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore serve oci:DIR | --memory}: serve stores as an OCI registry until stopped. */
@Command(
    name = "serve",
    description = {
      "Serve OCI layouts (or memory stores) as an OCI distribution-spec 1.1 registry, until Ctrl-C or SIGTERM.",
      "oci:DIR serves every OCI layout under DIR as a repository (DIR/a/b is repository a/b; pushes to new"
          + " names create layouts). When DIR is itself a layout, it is served as the single repository"
          + " --repository NAME (default: the directory's name). --memory serves memory stores instead."
    })
final class ServeCommand extends BaseCommand {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "oci:DIR",
      description = "The directory of layouts.")
  @Nullable String store;

  @Option(names = "--memory", description = "Serve memory stores (gone when the server stops).")
  boolean memory;

  @Option(
      names = "--repository",
      paramLabel = "NAME",
      description = "The repository name of a single layout (when oci:DIR is itself a layout).")
  @Nullable String repository;

  // picocli sets it before call() (a default value when not given).
  @SuppressWarnings("NullAway.Init")
  @Option(
      names = "--addr",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:5000",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
  String address;

  @Option(names = "--read-only", description = "Refuse pushes and deletes.")
  boolean readOnly;

  @Option(names = "--no-delete", description = "Refuse deletes of manifests, tags and blobs.")
  boolean noDelete;

  @Option(
      names = "--htpasswd",
      paramLabel = "FILE",
      description = "Require basic auth (bcrypt htpasswd file).")
  @Nullable String htpasswd;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "Serve HTTPS with this PEM certificate chain.")
  @Nullable String tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The PEM private key of --tls-cert.")
  @Nullable String tlsKey;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "32",
      description =
          "Worker threads (default: ${DEFAULT-VALUE}): they bound the uploads in progress; more"
              + " wait in a queue.")
  int workers;

  @Override
  public Integer call() throws Exception {
    CommandLine cmd = spec.commandLine();
    if (memory == (store != null)) {
      throw new CommandLine.ParameterException(cmd, "give either oci:DIR or --memory");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new CommandLine.ParameterException(cmd, "--tls-cert and --tls-key go together");
    }
    int colon = address.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      port = -1;
    }
    if (colon <= 0 || port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(
          cmd,
          "invalid --addr \""
              + address
              + "\": expected HOST:PORT,"
              + " e.g. 127.0.0.1:5000 or 0.0.0.0:0");
    }
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    RegistryServer.Builder builder =
        RegistryServer.builder().host(host).port(port).repositories(provider(cmd));
    if (workers <= 0) {
      throw new CommandLine.ParameterException(cmd, "--workers must be positive: " + workers);
    }
    builder.workerThreads(workers);
    if (readOnly) {
      builder.readOnly();
    }
    if (noDelete) {
      builder.disableDeletes();
    }
    if (htpasswd != null) {
      builder.htpasswd(resolvePath(htpasswd));
    }
    if (tlsCert != null) {
      builder.tls(
          resolvePath(tlsCert),
          resolvePath(Objects.requireNonNull(tlsKey, "checked with --tls-cert")));
    }
    PrintWriter err = cmd.getErr();
    if (options().verbose) { // the global -v/--verbose: one line per request on stderr
      builder.accessLog(
          line -> {
            synchronized (err) {
              err.println(line);
              err.flush();
            }
          });
    }
    RegistryServer server = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "stevedore-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Output output = output();
    output.result("Serving " + what() + " at " + server.url() + " (Ctrl-C to stop)");
    output.json(Map.of("url", server.url().toString(), "port", server.port()));
    stopped.await();
    return 0;
  }

  private String what() {
    return memory
        ? "memory stores"
        : Objects.requireNonNull(store, "call() checks oci:DIR or --memory");
  }

  private RepositoryProvider provider(CommandLine cmd) {
    if (memory) {
      return RepositoryProvider.memory();
    }
    String store = Objects.requireNonNull(this.store, "call() checks oci:DIR or --memory");
    if (!store.startsWith("oci:")) {
      throw new CommandLine.ParameterException(cmd, "serve takes oci:DIR, not \"" + store + "\"");
    }
    Path dir = resolvePath(store.substring("oci:".length()));
    if (Files.isRegularFile(dir.resolve("oci-layout"))) {
      String name =
          repository != null
              ? repository
              : String.valueOf(dir.getFileName())
                  .toLowerCase(Locale.ROOT)
                  .replaceAll("[^a-z0-9._/-]", "-");
      if (!Reference.isValidRepository(name)) {
        throw new CommandLine.ParameterException(
            cmd,
            "\""
                + name
                + "\" is not a valid repository name;"
                + " give one with --repository NAME");
      }
      return RepositoryProvider.ociLayout(name, dir);
    }
    if (repository != null) {
      throw new CommandLine.ParameterException(
          cmd, "--repository is for a DIR that is itself an OCI layout");
    }
    return RepositoryProvider.ociLayouts(dir);
  }
}
