package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stevedore pull} of ordinary container images from a real registry: blobs without a title
 * are never downloaded (the test deletes them from the registry after pushing the manifest, so any
 * attempt to fetch one fails the pull), and an image with no titled blob has nothing to pull.
 */
@Timeout(120)
class CliPullImageTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private static final int BIG = 5 * 1024 * 1024;

  @TempDir Path dir;
  private CliRunner cli;
  private String host;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    host = REGISTRY.registry().hostPort();
  }

  private Repository repository(String name) throws Exception {
    return Repository.builder().reference(host + "/" + name).plainHttp().build();
  }

  @Test
  void pullSkipsUntitledBlobsWithoutDownloadingThemAndSaysSo() throws Exception {
    String ref = host + "/pull/mixed:v1";
    try (Repository repo = repository("pull/mixed")) {
      Descriptor config = Fixtures.pushConfig(repo, Platform.parse("linux/amd64"));
      Descriptor big =
          Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER_GZIP, Fixtures.randomBytes(BIG, 1));
      Descriptor small =
          Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER_GZIP, Fixtures.randomBytes(100, 2));
      byte[] notes = Fixtures.utf8("release notes\n");
      Descriptor titled =
          Fixtures.pushBlob(repo, "text/plain", notes)
              .withAnnotations(Map.of(Annotations.TITLE, "notes.txt"));
      Descriptor manifest =
          Fixtures.pushManifest(repo, null, config, List.of(big, small, titled), null, Map.of());
      repo.tag(manifest, "v1");
      // Gone from the registry: pull succeeds only if it never asks for them.
      repo.delete(big);
      repo.delete(small);
      repo.delete(config);
    }

    Path out = dir.resolve("out");
    CliRunner.Result pull = cli.run("pull", ref, "-o", out.toString());

    assertThat(pull.exitCode()).as(pull.toString()).isZero();
    assertThat(pull.out()).contains("Downloaded notes.txt");
    assertThat(pull.err()).contains("Skipped 3 blob(s) without a file name");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
    }
    assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("release notes\n");

    CliRunner.Result json =
        cli.run("--format", "json", "pull", ref, "-o", dir.resolve("out2").toString());
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode result = new ObjectMapper().readTree(json.out());
    assertThat(result.get("skipped")).hasSize(3);
    assertThat(result.get("files")).hasSize(1);
  }

  @Test
  void pullOfADockerImageWithoutTitlesSaysThereIsNothingToPullAndExitsOne() throws Exception {
    String ref = host + "/pull/image:v1";
    try (Repository repo = repository("pull/image")) {
      Descriptor config =
          Fixtures.pushBlob(
              repo,
              MediaTypes.DOCKER_CONFIG,
              Fixtures.utf8(
                  "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"));
      Descriptor big =
          Fixtures.pushBlob(repo, MediaTypes.DOCKER_LAYER, Fixtures.randomBytes(BIG, 3));
      Descriptor small =
          Fixtures.pushBlob(repo, MediaTypes.DOCKER_LAYER, Fixtures.randomBytes(300, 4));
      byte[] json =
          new Manifest(
                  2, MediaTypes.DOCKER_MANIFEST, null, config, List.of(big, small), null, Map.of())
              .toJson();
      Descriptor manifest =
          Fixtures.push(repo, Descriptor.of(MediaTypes.DOCKER_MANIFEST, json), json);
      repo.tag(manifest, "v1");
      repo.delete(big);
    }

    Path out = dir.resolve("out");
    CliRunner.Result pull = cli.run("pull", ref, "-o", out.toString());

    assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(1);
    assertThat(pull.err())
        .contains("nothing to pull")
        .contains("3 unnamed blob(s)")
        .contains("stevedore copy " + ref + " oci:DIR");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }
}
