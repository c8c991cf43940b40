package dev.stevedore.cli;

import dev.stevedore.content.remote.Registry;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.DockerConfigStore;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stevedore login HOST -u USER --password-stdin}: check and save credentials, docker-compatibly. */
@Command(name = "login", description = {
    "Check credentials against a registry and save them in the docker config",
    "($DOCKER_CONFIG/config.json or ~/.docker/config.json; its credsStore/credHelpers are honoured)."})
final class LoginCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "HOST", description = "The registry, host[:port].") String host;

  @Override
  public Integer call() throws Exception {
    GlobalOptions options = options();
    if (options.username == null) {
      throw new IllegalArgumentException("login needs a user name: -u USER (and --password-stdin)");
    }
    Credential credential = Credential.basic(options.username, Stores.password(options, context()));
    Registry.Builder builder = Registry.builder().host(host).credentials(StaticCredentials.of(host, credential));
    if (options.plainHttpFor(host)) {
      builder.plainHttp();
    } else if (options.insecure) {
      builder.insecure();
    }
    if (options.caFile != null) {
      builder.trustCertificates(options.caFile);
    }
    try (Registry registry = builder.build()) {
      registry.ping();
    }
    DockerConfigStore store = DockerConfigStore.open(DockerConfigStore.defaultConfigFile(context().env()));
    store.store(host, credential);
    Output output = output();
    output.result("Login Succeeded");
    output.note("Credentials saved for " + host + " via " + store);
    output.json(Map.of("registry", host, "saved", store.file().toString()));
    return 0;
  }
}
