package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Docker-format image copied into an OCI layout keeps its manifest byte for byte; the CLI says
 * what other tools make of it, and skopeo reads it the one way containers/image allows (the
 * layout's only image, without a tag).
 */
@Timeout(120)
class CliDockerLayoutTest {
  @TempDir Path dir;

  @Test
  void aDockerImageCopiedToALayoutIsKeptAsIsAndTheCliSaysWhatOtherToolsDoWithIt() throws Exception {
    Path src = dir.resolve("src");
    byte[] manifestBytes;
    {
      OciLayoutStore layout = OciLayoutStore.open(src);
      Descriptor config =
          Fixtures.pushBlob(
              layout,
              MediaTypes.DOCKER_CONFIG,
              Fixtures.utf8(
                  "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"));
      Descriptor layer =
          Fixtures.pushBlob(layout, MediaTypes.DOCKER_LAYER, Fixtures.randomBytes(1000, 9));
      manifestBytes =
          new Manifest(2, MediaTypes.DOCKER_MANIFEST, null, config, List.of(layer), null, Map.of())
              .toJson();
      Descriptor manifest =
          Fixtures.push(
              layout, Descriptor.of(MediaTypes.DOCKER_MANIFEST, manifestBytes), manifestBytes);
      layout.tag(manifest, "v1");
    }
    CliRunner cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    Path dst = dir.resolve("dst");

    CliRunner.Result copy = cli.run("copy", "oci:" + src + ":v1", "oci:" + dst + ":v1");

    assertThat(copy.exitCode()).as(copy.toString()).isZero();
    assertThat(copy.err())
        .contains("Docker-format image")
        .contains("no descriptor found for reference")
        .contains("oci:" + dst + " without a tag")
        .contains("skopeo copy --format oci");
    assertThat(Files.readString(dst.resolve("index.json")))
        .contains(MediaTypes.DOCKER_MANIFEST)
        .contains("\"org.opencontainers.image.ref.name\":\"v1\"");

    Process skopeo =
        new ProcessBuilder("skopeo", "inspect", "--raw", "oci:" + dst)
            .redirectErrorStream(true)
            .start();
    byte[] raw = skopeo.getInputStream().readAllBytes();
    assertThat(skopeo.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(skopeo.exitValue()).as(new String(raw, StandardCharsets.UTF_8)).isZero();
    assertThat(raw).isEqualTo(manifestBytes);
  }
}
