package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stevedore blob push TARGET -}: standard input of unknown size, into a registry and a
 * layout.
 */
@Timeout(120)
class CliBlobStreamTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @TempDir Path dir;

  private static final String TEXT = "streamed from standard input\n".repeat(1000);

  @Test
  void blobPushDashReadsStandardInputIntoARegistry() throws Exception {
    CliRunner cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    String host = REGISTRY.registry().hostPort();

    CliRunner.Result push = cli.runWithInput(TEXT, "blob", "push", host + "/stream/cli", "-");

    assertThat(push.exitCode()).as(push.toString()).isZero();
    byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(bytes);
    assertThat(push.out().trim()).isEqualTo(digest.toString());
    try (Repository repo =
        Repository.builder().reference(host + "/stream/cli").plainHttp().build()) {
      assertThat(repo.exists(Descriptor.of(MediaTypes.OCTET_STREAM, bytes))).isTrue();
    }
  }

  @Test
  void blobPushDashIntoALayoutSpoolsInTheLayoutAndLeavesNothingBehind() throws Exception {
    CliRunner cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    Path layout = dir.resolve("layout");

    CliRunner.Result push = cli.runWithInput(TEXT, "blob", "push", "oci:" + layout, "-");

    assertThat(push.exitCode()).as(push.toString()).isZero();
    byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
    assertThat(push.out().trim()).isEqualTo(Digest.sha256(bytes).toString());
    assertThat(OciLayoutStore.open(layout).exists(Descriptor.of(MediaTypes.OCTET_STREAM, bytes)))
        .isTrue();
    try (Stream<Path> files = Files.list(layout)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("spool"));
    }
  }
}
