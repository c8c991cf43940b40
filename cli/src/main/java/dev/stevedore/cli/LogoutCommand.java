package dev.stevedore.cli;

import dev.stevedore.content.remote.credentials.DockerConfigStore;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stevedore logout HOST}: forget saved credentials. */
@Command(name = "logout", description = "Remove the credentials saved for a registry.")
final class LogoutCommand extends BaseCommand {
  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(index = "0", paramLabel = "HOST", description = "The registry, host[:port].")
  String host;

  @Override
  public Integer call() throws Exception {
    DockerConfigStore store =
        DockerConfigStore.open(Stores.configFile(options().connection(), context()));
    store.erase(host);
    output().result("Removed the credentials of " + host);
    output().json(Map.of("registry", host));
    return 0;
  }
}
