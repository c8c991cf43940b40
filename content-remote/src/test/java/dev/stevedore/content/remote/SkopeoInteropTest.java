package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Index;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Successors;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.StorageContract;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Interop with skopeo, a tool nobody here wrote: it reads what we push, we read what it pushes. */
@Timeout(120)
class SkopeoInteropTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @TempDir Path temp;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  @BeforeAll
  static void needsSkopeo() {
    assumeThat(onPath("skopeo")).as("skopeo on PATH (Debian package skopeo)").isTrue();
  }

  private static boolean onPath(String binary) {
    for (String dir :
        System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator, -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }

  @AfterEach
  void close() {
    if (repository != null) {
      repository.close();
    }
  }

  private Repository open(String name) {
    repository =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name(name)
            .plainHttp()
            .build();
    return repository;
  }

  /** An image: a gzip'd empty tar layer and an OCI config naming its diff_id. */
  // A test fixture never compared or hashed: the arrays are the bytes pushed and checked.
  @SuppressWarnings("ArrayRecordComponent")
  private record Image(
      Descriptor manifest,
      byte[] manifestBytes,
      Descriptor config,
      byte[] configBytes,
      Descriptor layer,
      byte[] layerBytes) {}

  private static Image image() throws IOException {
    byte[] tar = new byte[1024];
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar);
    }
    byte[] layerBytes = gz.toByteArray();
    Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layerBytes);
    byte[] configBytes =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\""
                + Digest.sha256(tar)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, configBytes);
    byte[] manifestBytes =
        new Manifest(
                2,
                MediaTypes.OCI_MANIFEST,
                null,
                config,
                List.of(layer),
                null,
                Map.of("org.example.made-by", "stevedore-test"))
            .toJson();
    Descriptor manifest = Descriptor.of(MediaTypes.OCI_MANIFEST, manifestBytes);
    return new Image(manifest, manifestBytes, config, configBytes, layer, layerBytes);
  }

  private static void writeBlob(Path layout, Descriptor desc, byte[] bytes) throws IOException {
    Path file =
        layout.resolve("blobs").resolve(desc.digest().algorithm()).resolve(desc.digest().encoded());
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private static String skopeo(Path home, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HOME", home.toString());
    builder.environment().put("TMPDIR", home.toString());
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("skopeo finished").isTrue();
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue())
        .as("skopeo " + String.join(" ", args) + " said: " + text)
        .isZero();
    return text;
  }

  @Test
  void anImagePushedBySkopeoIsResolvedAndItsGraphFetched() throws Exception {
    Image image = image();
    Path layout = Files.createDirectories(temp.resolve("layout"));
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    writeBlob(layout, image.config(), image.configBytes());
    writeBlob(layout, image.layer(), image.layerBytes());
    writeBlob(layout, image.manifest(), image.manifestBytes());
    Files.write(
        layout.resolve("index.json"),
        Index.of(
                List.of(
                    image
                        .manifest()
                        .withAnnotations(Map.of("org.opencontainers.image.ref.name", "v1"))))
            .toJson());

    skopeo(
        temp,
        "copy",
        "--dest-tls-verify=false",
        "oci:" + layout + ":v1",
        "docker://" + REGISTRY.registry().hostPort() + "/interop/from-skopeo:v1");

    Repository repo = open("interop/from-skopeo");
    Descriptor resolved = repo.resolve("v1");
    assertThat(resolved.digest()).isEqualTo(image.manifest().digest());
    assertThat(resolved.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    List<Descriptor> successors = Successors.find(repo, resolved, 4 * 1024 * 1024);
    assertThat(successors)
        .extracting(Descriptor::digest)
        .containsExactly(image.config().digest(), image.layer().digest());
    assertThat(StorageContract.fetchAll(repo, successors.get(0))).isEqualTo(image.configBytes());
    assertThat(StorageContract.fetchAll(repo, successors.get(1))).isEqualTo(image.layerBytes());
  }

  @Test
  void anArtifactPushedByStevedoreIsInspectedAndCopiedBackBySkopeoWithIdenticalDigests()
      throws Exception {
    Image image = image();
    Repository repo = open("interop/from-stevedore");
    Fixtures.push(repo, image.config(), image.configBytes());
    Fixtures.push(repo, image.layer(), image.layerBytes());
    repo.pushReference(
        image.manifest(), new java.io.ByteArrayInputStream(image.manifestBytes()), "v1");
    String source = "docker://" + REGISTRY.registry().hostPort() + "/interop/from-stevedore:v1";

    String raw = skopeo(temp, "inspect", "--raw", "--tls-verify=false", source);
    assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.manifest().digest());

    Path copy = temp.resolve("copy");
    skopeo(temp, "copy", "--src-tls-verify=false", source, "oci:" + copy + ":v1");
    Index index = Index.parse(Files.readAllBytes(copy.resolve("index.json")));
    assertThat(index.manifests())
        .extracting(Descriptor::digest)
        .containsExactly(image.manifest().digest());
    for (Descriptor blob : List.of(image.manifest(), image.config(), image.layer())) {
      Path file = copy.resolve("blobs/sha256/" + blob.digest().encoded());
      assertThat(Digest.sha256(Files.readAllBytes(file))).isEqualTo(blob.digest());
    }
  }
}
