package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Warning: 299} headers (deprecations, quota notices, which docker-registry never sends, so
 * the fault proxy adds them): the CLI prints each distinct warning once on stderr.
 */
@Timeout(120)
class CliRegistryWarningsTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @TempDir Path dir;

  @Test
  void eachDistinctRegistryWarningIsPrintedOnceOnStderr() throws Exception {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port())) {
      String page = "/v2/warned/tags/list";
      Map<String, String> first =
          Map.of(
              "Content-Type",
              "application/json",
              "Warning",
              "299 - \"this repository is deprecated\"",
              "Link",
              "<" + page + "?n=1&last=a>; rel=\"next\"");
      Map<String, String> last =
          Map.of(
              "Content-Type",
              "application/json",
              "Warning",
              "299 - \"this repository is deprecated\"");
      proxy.answer(
          line -> line.startsWith("GET " + page + "?n=1&last=a"),
          200,
          last,
          "{\"name\":\"warned\",\"tags\":[\"b\"]}".getBytes(StandardCharsets.UTF_8),
          1);
      proxy.answer(
          line -> line.startsWith("GET " + page),
          200,
          first,
          "{\"name\":\"warned\",\"tags\":[\"a\"]}".getBytes(StandardCharsets.UTF_8),
          1);
      CliRunner cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));

      CliRunner.Result tags = cli.run("--plain-http", "repo", "tags", proxy.hostPort() + "/warned");

      assertThat(tags.exitCode()).as(tags.toString()).isZero();
      assertThat(tags.out()).contains("a").contains("b");
      assertThat(tags.err().split("this repository is deprecated", -1))
          .as(tags.toString())
          .hasSize(2);
      assertThat(tags.err())
          .contains("warning: registry " + proxy.hostPort() + ": this repository is deprecated");
    }
  }
}
