package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small blobs go to a registry without a {@code HEAD} first (issue 19, goal 4): the requests a real
 * registry sees, through a counting proxy. Big blobs and manifests are still checked, and pushing
 * the same small files again still works.
 */
@Timeout(120)
class CliBlindPushTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @TempDir Path dir;

  @Test
  void smallBlobsArePushedWithoutAHeadAndBigOnesAreChecked() throws Exception {
    List<String> files = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Files.writeString(dir.resolve("small-" + i + ".txt"), "small file " + i);
      files.add("small-" + i + ".txt");
    }
    Files.write(dir.resolve("big.bin"), new byte[(int) BaseCommand.REGISTRY_BLIND_PUSH_BELOW]);
    files.add("big.bin");
    CliRunner cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port())) {
      List<String> args = new ArrayList<>(List.of("--plain-http", "push"));
      args.add(proxy.hostPort() + "/blind/app:v1");
      args.addAll(files);

      CliRunner.Result first = cli.run(args.toArray(String[]::new));
      // another manifest (an annotation more), so its graph is walked again whatever the clock
      args.addAll(List.of("-a", "push=again"));
      CliRunner.Result again = cli.run(args.toArray(String[]::new));
      Files.writeString(dir.resolve("signature.txt"), "a small signature");
      CliRunner.Result attached =
          cli.run(
              "--plain-http",
              "attach",
              proxy.hostPort() + "/blind/app:v1",
              "--artifact-type",
              "application/vnd.test.sig",
              "signature.txt");

      assertThat(first.exitCode()).as(first.toString()).isZero();
      assertThat(again.exitCode()).as(again.toString()).isZero();
      assertThat(attached.exitCode()).as(attached.toString()).isZero();
      List<String> blobHeads =
          proxy.requestLines().stream()
              .filter(line -> line.startsWith("HEAD /v2/blind/app/blobs/"))
              .toList();
      // the 64 KiB file is checked on each push; the eight small files, the 2-byte config and the
      // attached signature never
      assertThat(blobHeads).as(proxy.requestLines().toString()).hasSize(2);
      assertThat(
              proxy.requestLines().stream()
                  .filter(line -> line.startsWith("HEAD /v2/blind/app/manifests/"))
                  .count())
          .isGreaterThanOrEqualTo(2);
    }
    CliRunner.Result pulled =
        cli.run(
            "--plain-http", "pull", REGISTRY.registry().hostPort() + "/blind/app:v1", "-o", "out");
    assertThat(pulled.exitCode()).as(pulled.toString()).isZero();
    assertThat(Files.readString(dir.resolve("out/small-3.txt"), StandardCharsets.UTF_8))
        .isEqualTo("small file 3");
  }
}
