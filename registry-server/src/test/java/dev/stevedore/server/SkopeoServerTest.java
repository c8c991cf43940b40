package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Index;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo, a client nobody here wrote, copies an image and a multi-platform index into the server
 * and back out with {@code --preserve-digests}: the digests are identical, and the layout the
 * server wrote is one skopeo reads directly.
 */
@Timeout(180)
class SkopeoServerTest {
  @TempDir Path temp;
  private RegistryServer server;

  @BeforeAll
  static void needsSkopeo() {
    boolean found = false;
    for (String dir :
        System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator, -1)) {
      found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, "skopeo"));
    }
    assumeThat(found).as("skopeo on PATH (bin/setup installs it)").isTrue();
  }

  @BeforeEach
  void start() throws IOException {
    server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.ociLayouts(temp.resolve("served")))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] gzipTar(String seed) throws IOException {
    byte[] tar = new byte[2048];
    byte[] name = seed.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, tar, 0, Math.min(name.length, 100));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(new byte[1024]);
    }
    return out.toByteArray();
  }

  /** An image for a platform: a gzip'd tar layer and a config naming its diff_id. */
  private static Descriptor image(OciLayoutStore store, Platform platform) throws IOException {
    byte[] layer = gzipTar(platform.architecture());
    Descriptor layerDesc =
        Fixtures.push(store, Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer), layer);
    byte[] config =
        ("{\"architecture\":\""
                + platform.architecture()
                + "\",\"os\":\""
                + platform.os()
                + "\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(new byte[1024])
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    Descriptor configDesc =
        Fixtures.push(store, Descriptor.of(MediaTypes.OCI_CONFIG, config), config);
    byte[] manifest =
        new Manifest(
                2,
                MediaTypes.OCI_MANIFEST,
                null,
                configDesc,
                List.of(layerDesc),
                null,
                Map.of("org.example.arch", platform.architecture()))
            .toJson();
    return Fixtures.push(store, Descriptor.of(MediaTypes.OCI_MANIFEST, manifest), manifest)
        .withPlatform(platform);
  }

  private String skopeo(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HOME", temp.toString());
    builder.environment().put("TMPDIR", temp.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("skopeo finished").isTrue();
    assertThat(process.exitValue())
        .as("skopeo " + String.join(" ", args) + " said: " + output)
        .isZero();
    return output;
  }

  private static Digest taggedDigest(Path layout) throws IOException {
    Index index = Index.parse(Files.readAllBytes(layout.resolve("index.json")));
    assertThat(index.manifests()).hasSize(1);
    return index.manifests().get(0).digest();
  }

  @Test
  void anImageGoesInAndOutWithIdenticalDigests() throws Exception {
    OciLayoutStore source = OciLayoutStore.open(temp.resolve("source"));
    Descriptor manifest = image(source, new Platform("amd64", "linux", null, List.of(), null));
    source.tag(manifest.plain(), "v1");
    String remote = "docker://" + server.hostPort() + "/skopeo/image:v1";

    skopeo(
        "copy",
        "--preserve-digests",
        "--dest-tls-verify=false",
        "oci:" + temp.resolve("source") + ":v1",
        remote);
    skopeo(
        "copy",
        "--preserve-digests",
        "--src-tls-verify=false",
        remote,
        "oci:" + temp.resolve("back") + ":v1");

    assertThat(taggedDigest(temp.resolve("back"))).isEqualTo(manifest.digest());
    String inspected =
        skopeo("inspect", "--raw", "oci:" + temp.resolve("served/skopeo/image") + ":v1");
    assertThat(Digest.sha256(inspected.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(manifest.digest());
  }

  @Test
  void aMultiPlatformIndexGoesInAndOutWithIdenticalDigests() throws Exception {
    OciLayoutStore source = OciLayoutStore.open(temp.resolve("source"));
    Descriptor amd64 = image(source, new Platform("amd64", "linux", null, List.of(), null));
    Descriptor arm64 = image(source, new Platform("arm64", "linux", "v8", List.of(), null));
    Descriptor index = Fixtures.pushIndex(source, List.of(amd64, arm64));
    source.tag(index, "multi");
    String remote = "docker://" + server.hostPort() + "/skopeo/multi:v1";

    skopeo(
        "copy",
        "--all",
        "--preserve-digests",
        "--dest-tls-verify=false",
        "oci:" + temp.resolve("source") + ":multi",
        remote);
    skopeo(
        "copy",
        "--all",
        "--preserve-digests",
        "--src-tls-verify=false",
        remote,
        "oci:" + temp.resolve("back") + ":v1");

    assertThat(taggedDigest(temp.resolve("back"))).isEqualTo(index.digest());
    for (Descriptor child : List.of(amd64, arm64)) {
      Path blob = temp.resolve("back/blobs/sha256/" + child.digest().encoded());
      assertThat(Digest.sha256(Files.readAllBytes(blob))).isEqualTo(child.digest());
    }
    String raw = skopeo("inspect", "--raw", "--tls-verify=false", remote);
    assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(index.digest());
  }
}
