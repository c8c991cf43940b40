package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.testing.RegistryExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end against a real registry (docker-registry started by the test extension). */
@Timeout(120)
class CliRegistryTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @TempDir Path dir;
  private CliRunner cli;
  private Path src;
  private String host;

  @BeforeEach
  void setUp() throws Exception {
    src = dir.resolve("src");
    DemoCommand.writeSample(src);
    cli = new CliRunner(src, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    host = REGISTRY.registry().hostPort();
  }

  private static String digest(CliRunner.Result result) throws Exception {
    JsonNode json = new ObjectMapper().readTree(result.out());
    return json.get("digest").asText();
  }

  @Test
  void pushToARegistryThenPullGivesIdenticalFiles() throws Exception {
    CliRunner.Result push = cli.run("push", host + "/cli/files:v1", "README.txt", "config");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    CliRunner.Result pull =
        cli.run("pull", host + "/cli/files:v1", "-o", dir.resolve("out").toString());
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
    assertThat(DemoCommand.sameTree(src, dir.resolve("out"))).isTrue();
  }

  @Test
  void copyRecursiveCarriesReferrersThroughTheRegistryAndBack() throws Exception {
    String layout = "oci:" + dir.resolve("a");
    assertThat(cli.run("push", layout + ":v1", "README.txt").exitCode()).isZero();
    String sig =
        digest(
            cli.run(
                "--format",
                "json",
                "attach",
                layout + ":v1",
                "--artifact-type",
                "application/vnd.test.sig"));
    assertThat(
            cli.run(
                    "attach",
                    layout + "@" + sig,
                    "--artifact-type",
                    "application/vnd.test.countersig")
                .exitCode())
        .isZero();

    CliRunner.Result up = cli.run("copy", "-r", layout + ":v1", host + "/cli/signed:v1");
    assertThat(up.exitCode()).as(up.toString()).isZero();
    CliRunner.Result tree = cli.run("discover", host + "/cli/signed:v1", "--format", "json");
    assertThat(tree.exitCode()).as(tree.toString()).isZero();
    JsonNode referrers = new ObjectMapper().readTree(tree.out()).get("referrers");
    assertThat(referrers).hasSize(1);
    assertThat(referrers.get(0).get("referrers")).hasSize(1);

    CliRunner.Result down =
        cli.run("copy", "-r", host + "/cli/signed:v1", "oci:" + dir.resolve("b") + ":v1");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    JsonNode back =
        new ObjectMapper()
            .readTree(
                cli.run("discover", "oci:" + dir.resolve("b") + ":v1", "--format", "json").out())
            .get("referrers");
    assertThat(back.get(0).get("digest").asText()).isEqualTo(sig);
  }

  @Test
  void copyBetweenRepositoriesOfOneRegistryMountsBlobs() throws Exception {
    assertThat(cli.run("push", host + "/cli/mount-src:v1", "README.txt", "config").exitCode())
        .isZero();
    CliRunner.Result copy =
        cli.run("--format", "json", "copy", host + "/cli/mount-src:v1", host + "/cli/mount-dst:v1");
    assertThat(copy.exitCode()).as(copy.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(copy.out());
    assertThat(json.get("mounted").asInt()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void tagsResolveRepoListingsManifestAndBlobCommands() throws Exception {
    String manifest =
        digest(cli.run("--format", "json", "push", host + "/cli/misc:v1", "README.txt"));
    assertThat(cli.run("tag", host + "/cli/misc:v1", "stable").exitCode()).isZero();
    assertThat(cli.run("resolve", host + "/cli/misc:stable").out().trim()).isEqualTo(manifest);
    assertThat(cli.run("repo", "tags", host + "/cli/misc").out().split("\n"))
        .containsExactly("stable", "v1");
    assertThat(cli.run("repo", "ls", host).out()).contains("cli/misc");
    JsonNode fetched =
        new ObjectMapper().readTree(cli.run("manifest", "fetch", host + "/cli/misc:v1").out());
    String layer = fetched.get("layers").get(0).get("digest").asText();
    Path out = dir.resolve("layer.bin");
    CliRunner.Result blob =
        cli.run("blob", "fetch", host + "/cli/misc@" + layer, "-o", out.toString());
    assertThat(blob.exitCode()).as(blob.toString()).isZero();
    assertThat(Files.readString(out)).isEqualTo(Files.readString(src.resolve("README.txt")));
    Path file = dir.resolve("upload.bin");
    Files.writeString(file, "uploaded by the blob command");
    CliRunner.Result pushed = cli.run("blob", "push", host + "/cli/misc", file.toString());
    assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
    assertThat(pushed.out().trim()).startsWith("sha256:");
  }

  @Test
  void anUnknownTagInARegistryIsAFailedOperation() {
    CliRunner.Result result = cli.run("resolve", host + "/cli/nothing:v9");
    assertThat(result.exitCode()).isEqualTo(Main.FAILED);
    assertThat(result.err()).startsWith("Error:").contains("v9");
  }

  @Test
  void debugShowsTheHttpExchangeWithoutSecrets() {
    CliRunner.Result result =
        cli.run("--debug", "resolve", host + "/cli/nothing:v1", "-u", "someone", "-p", "hunter2");
    assertThat(result.exitCode()).isEqualTo(Main.FAILED);
    assertThat(result.err())
        .contains("debug: ", "--> HEAD http://" + host + "/v2/cli/nothing/manifests/v1", "<-- 404")
        .doesNotContain("hunter2");
    assertThat(result.err()).contains("at dev.stevedore");
  }
}
