package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * oras's flags against a real registry (docker-registry), and a proxy where no registry can show
 * it.
 */
@Timeout(120)
class CliRegistryFlagsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @TempDir Path dir;
  private CliRunner cli;
  private String host;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "file a");
    cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    host = REGISTRY.registry().hostPort();
  }

  private CliRunner.Result ok(String... args) {
    CliRunner.Result result = cli.run(args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result;
  }

  @Test
  void pushSeveralTagsAnnotationFileAndJsonToARegistry() throws Exception {
    Path annotations = dir.resolve("annotations.json");
    Files.writeString(annotations, "{\"$manifest\": {\"m\": \"1\"}, \"a.txt\": {\"f\": \"2\"}}");
    JsonNode push =
        JSON.readTree(
            ok(
                    "push",
                    host + "/flags/app:v1,v2",
                    "a.txt",
                    "--annotation-file",
                    annotations.toString(),
                    "--format",
                    "json")
                .out());
    assertThat(push.get("reference").asText())
        .isEqualTo(host + "/flags/app@" + push.get("digest").asText());
    assertThat(push.get("referenceAsTags")).hasSize(2);
    assertThat(ok("repo", "tags", host + "/flags/app").out().lines()).containsExactly("v1", "v2");
    JsonNode manifest = JSON.readTree(ok("manifest", "fetch", host + "/flags/app:v2").out());
    assertThat(manifest.get("annotations").get("m").asText()).isEqualTo("1");
    assertThat(manifest.get("layers").get(0).get("annotations").get("f").asText()).isEqualTo("2");
    assertThat(ok("resolve", "-l", host + "/flags/app:v2").out().trim())
        .isEqualTo(host + "/flags/app@" + push.get("digest").asText());
  }

  @Test
  void repoListingsTakeLast() {
    ok("push", host + "/flags/one:a,b,c", "a.txt");
    ok("push", host + "/flags/two:v1", "a.txt");
    assertThat(ok("repo", "tags", host + "/flags/one", "--last", "a").out().lines())
        .containsExactly("b", "c");
    assertThat(ok("repo", "ls", host, "--last", "flags/one").out().lines())
        .contains("flags/two")
        .doesNotContain("flags/one");
  }

  @Test
  void excludeDigestTagsHidesReferrersTagSchemaTags() throws Exception {
    String digest =
        JSON.readTree(ok("push", host + "/flags/digests:v1", "a.txt", "--format", "json").out())
            .get("digest")
            .asText();
    ok("tag", host + "/flags/digests:v1", digest.replace(':', '-'));
    assertThat(ok("repo", "tags", host + "/flags/digests", "--exclude-digest-tags").out().lines())
        .containsExactly("v1");
  }

  @Test
  void deletingAManifestNeedsForceAndThenDeletes() {
    ok("push", host + "/flags/del:v1", "a.txt");
    CliRunner.Result refused = cli.run("manifest", "delete", host + "/flags/del:v1");
    assertThat(refused.exitCode()).isEqualTo(Main.USAGE);
    ok("resolve", host + "/flags/del:v1");
    ok("manifest", "delete", "-f", host + "/flags/del:v1");
    assertThat(cli.run("resolve", host + "/flags/del:v1").exitCode()).isEqualTo(Main.FAILED);
  }

  @Test
  void headersGoToTheRegistry() throws Exception {
    ok("push", host + "/flags/headers:v1", "a.txt");
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port())) {
      ok(
          "resolve",
          proxy.hostPort() + "/flags/headers:v1",
          "-H",
          "X-Trace-Id: abc123",
          "--header",
          "X-Other:two");
      assertThat(String.join("\n", proxy.requestHeads()))
          .containsIgnoringCase("X-Trace-Id: abc123")
          .containsIgnoringCase("X-Other: two");
    }
  }

  @Test
  void aHeaderWithoutAColonIsAUsageError() {
    CliRunner.Result result = cli.run("resolve", host + "/flags/x:v1", "-H", "no-colon");
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
  }

  @Test
  void aRegistryWarningIsShownOnceAsOneLine() throws Exception {
    ok("push", host + "/flags/warn:v1", "a.txt");
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port())) {
      proxy.answer(
          line -> line.contains("/manifests/"),
          404,
          Map.of(
              "Warning",
              "299 - \"this repository is deprecated\"",
              "Content-Type",
              "application/json"),
          "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
              .getBytes(StandardCharsets.UTF_8),
          4);
      CliRunner.Result result = cli.run("resolve", proxy.hostPort() + "/flags/warn:v1");
      assertThat(result.exitCode()).isEqualTo(Main.FAILED);
      assertThat(result.err().lines().filter(l -> l.contains("this repository is deprecated")))
          .hasSize(1)
          .allMatch(l -> l.startsWith("warning: "));
    }
  }

  @Test
  void aRegistryErrorMessageWithEscapesIsPrintedEscaped() throws Exception {
    ok("push", host + "/flags/evil:v1", "a.txt");
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port())) {
      proxy.answer(
          line -> line.startsWith("GET") && line.contains("/manifests/"),
          400,
          Map.of("Content-Type", "application/json"),
          "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"\\u001b]0;PWNED\\u0007 go away\"}]}"
              .getBytes(StandardCharsets.UTF_8),
          4);
      CliRunner.Result result = cli.run("manifest", "fetch", proxy.hostPort() + "/flags/evil:v1");
      assertThat(result.exitCode()).isEqualTo(Main.FAILED);
      assertThat(result.err())
          .contains("go away")
          .doesNotContain("\u001b")
          .doesNotContain("\u0007");
    }
  }

  @Test
  void mutualTlsNeedsBothFiles() {
    CliRunner.Result result =
        cli.run("resolve", host + "/flags/x:v1", "--cert-file", dir.resolve("c.pem").toString());
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("--key-file");
  }
}
