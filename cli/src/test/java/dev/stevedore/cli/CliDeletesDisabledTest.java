package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a docker-registry that refuses DELETE ({@code storage.delete.enabled: false}, as
 * GHCR and Docker Hub): attaching a second referrer and copying with referrers succeed, the
 * superseded referrers index that could not be deleted is a warning on stderr.
 */
@Timeout(120)
class CliDeletesDisabledTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(RegistryConfig.builder().deletesDisabled().build());

  @TempDir Path dir;
  private CliRunner cli;
  private String host;

  @BeforeEach
  void setUp() throws Exception {
    Path src = dir.resolve("src");
    DemoCommand.writeSample(src);
    cli = new CliRunner(src, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    host = REGISTRY.registry().hostPort();
  }

  private static int occurrences(String text, String part) {
    Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void attachTwiceAndCopyWithReferrersSucceedAndDiscoverListsBoth() throws Exception {
    String subject = host + "/nodelete/app:v1";
    assertThat(cli.run("push", subject, "README.txt").exitCode()).isZero();
    CliRunner.Result first =
        cli.run("attach", subject, "--artifact-type", "application/vnd.test.sig");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    CliRunner.Result second =
        cli.run("attach", subject, "--artifact-type", "application/vnd.test.sbom");
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(occurrences(second.err(), "could not delete the superseded referrers index"))
        .isEqualTo(1);

    CliRunner.Result copy = cli.run("copy", "-r", subject, host + "/nodelete/mirror:v1");
    assertThat(copy.exitCode()).as(copy.toString()).isZero();

    for (String ref : new String[] {subject, host + "/nodelete/mirror:v1"}) {
      CliRunner.Result tree = cli.run("discover", ref, "--format", "json");
      assertThat(tree.exitCode()).as(tree.toString()).isZero();
      JsonNode referrers = new ObjectMapper().readTree(tree.out()).get("referrers");
      assertThat(referrers).as(ref).hasSize(2);
    }
  }
}
