package dev.stevedore.cli;

import dev.stevedore.content.remote.Registry;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.DockerConfigStore;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code stevedore login HOST -u USER --password-stdin}: check and save credentials,
 * docker-compatibly.
 */
@Command(
    name = "login",
    description = {
      "Check credentials against a registry and save them in the docker config",
      "(--registry-config, $DOCKER_CONFIG/config.json or ~/.docker/config.json; its credsStore/credHelpers are honoured).",
      "On a terminal, asks for what -u and --password-stdin do not give. -p PASSWORD works but is insecure."
    })
final class LoginCommand extends BaseCommand {
  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(index = "0", paramLabel = "HOST", description = "The registry, host[:port].")
  String host;

  // Java 17 target: console() is null without a terminal, and Console.isTerminal() (JDK 22) is not
  // available.
  @SuppressWarnings("SystemConsoleNull")
  @Override
  public Integer call() throws Exception {
    TargetRef.checkPort(host, host);
    Connection connection = options().connection();
    String username = connection.username();
    if (username == null) {
      java.io.Console console = System.console();
      if (console == null || connection.passwordStdin()) {
        throw new UsageException("login needs a user name: -u USER (and --password-stdin)");
      }
      username = console.readLine("Username: ");
      if (username == null || username.isBlank()) {
        throw new UsageException("no user name given");
      }
      username = username.trim();
    }
    Credential credential = Credential.basic(username, Stores.password(connection, context()));
    Registry.Builder builder =
        Stores.configure(Registry.builder().host(host), host, connection)
            .credentials(StaticCredentials.of(host, credential));
    try (Registry registry = builder.build()) {
      registry.ping();
    }
    DockerConfigStore store = DockerConfigStore.open(Stores.configFile(connection, context()));
    store.store(host, credential);
    Output output = output();
    output.result("Login Succeeded");
    output.note("Credentials for " + host + " saved in " + store.file());
    output.json(Map.of("registry", host, "saved", store.file().toString()));
    return 0;
  }
}
