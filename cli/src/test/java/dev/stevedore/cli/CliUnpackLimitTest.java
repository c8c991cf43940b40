package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pull --max-unpack-size / --max-unpack-ratio}: the decompression cap of directory layers
 * (issue 14, item 9).
 */
class CliUnpackLimitTest {
  @TempDir Path dir;
  private CliRunner cli;

  @BeforeEach
  void setUp() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("tree"));
    // 64 KiB of zeros: a few hundred bytes once gzipped, far above any small cap and ratio
    Files.write(src.resolve("tree/zeros.bin"), new byte[64 * 1024]);
    Files.writeString(src.resolve("tree/small.txt"), "small");
    cli = new CliRunner(src, Map.of());
    assertThat(cli.run("push", "oci:" + dir.resolve("l") + ":v1", "tree").exitCode()).isZero();
  }

  @Test
  void aDirectoryLayerPastTheSizeCapFailsAndLeavesNothing() throws Exception {
    Path out = dir.resolve("out");
    CliRunner.Result pull =
        cli.run(
            "pull",
            "oci:" + dir.resolve("l") + ":v1",
            "-o",
            out.toString(),
            "--max-unpack-size",
            "16k");
    assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(1);
    assertThat(pull.err()).as(pull.toString()).containsIgnoringCase("unpack");
    assertThat(leftIn(out)).isEmpty();
  }

  @Test
  void aDirectoryLayerPastTheRatioFailsAndLeavesNothing() throws Exception {
    Path out = dir.resolve("out");
    CliRunner.Result pull =
        cli.run(
            "pull",
            "oci:" + dir.resolve("l") + ":v1",
            "-o",
            out.toString(),
            "--max-unpack-ratio",
            "2");
    assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(1);
    assertThat(leftIn(out)).isEmpty();
  }

  @Test
  void underTheCapTheTreeIsUnpacked() throws Exception {
    Path out = dir.resolve("out");
    CliRunner.Result pull =
        cli.run(
            "pull",
            "oci:" + dir.resolve("l") + ":v1",
            "-o",
            out.toString(),
            "--max-unpack-size",
            "1m");
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
    assertThat(Files.size(out.resolve("tree/zeros.bin"))).isEqualTo(64 * 1024);
  }

  @Test
  void aBadCapIsAUsageError() {
    assertThat(
            cli.run(
                    "pull",
                    "oci:" + dir.resolve("l") + ":v1",
                    "-o",
                    dir.resolve("o").toString(),
                    "--max-unpack-size",
                    "-3")
                .exitCode())
        .isEqualTo(2);
    assertThat(
            cli.run(
                    "pull",
                    "oci:" + dir.resolve("l") + ":v1",
                    "-o",
                    dir.resolve("o").toString(),
                    "--max-unpack-ratio",
                    "0")
                .exitCode())
        .isEqualTo(2);
  }

  private static java.util.List<Path> leftIn(Path out) throws Exception {
    if (!Files.exists(out)) {
      return java.util.List.of();
    }
    try (Stream<Path> files = Files.walk(out)) {
      return files.filter(p -> !p.equals(out)).toList();
    }
  }
}
