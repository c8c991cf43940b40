package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Platform;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class OciClientTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private static final RegistryConnection PLAIN =
      new RegistryConnection(
          RegistryConnection.Transport.PLAIN_HTTP,
          StaticCredentials.of(Map.<String, Credential>of()));

  @TempDir Path temp;
  private OciClient client;

  @BeforeEach
  void open() throws Exception {
    client =
        OciClient.open(
            REGISTRY.registry().hostPort(), PLAIN, BlobCache.open(temp.resolve("cache")));
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    client.close();
  }

  private Repository repository(String name) {
    return Repository.builder()
        .registry(REGISTRY.registry().hostPort())
        .name(name)
        .plainHttp()
        .build();
  }

  /** An image of three layers: a titled file, a gzip layer, a plain tar. */
  private Descriptor pushImage(String repo) throws Exception {
    Descriptor readme =
        client
            .pushBlob(repo, "text/markdown", Fixtures.utf8("# readme"))
            .withAnnotations(Map.of(Annotations.TITLE, "README.md"));
    Descriptor gz = client.pushBlob(repo, MediaTypes.OCI_LAYER_GZIP, Fixtures.randomBytes(300, 1));
    Descriptor tar = client.pushBlob(repo, MediaTypes.OCI_LAYER, Fixtures.randomBytes(200, 2));
    Descriptor config =
        client.pushBlob(
            repo,
            MediaTypes.OCI_CONFIG,
            Fixtures.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}"));
    byte[] manifest =
        new Manifest(
                2, MediaTypes.OCI_MANIFEST, null, config, List.of(readme, gz, tar), null, Map.of())
            .toJson();
    return client.putManifest(repo + ":v1", MediaTypes.OCI_MANIFEST, manifest);
  }

  @Test
  void rawManifestsGoAndComeBackByteForByte() throws Exception {
    Descriptor pushed = pushImage("facade/raw");
    OciClient.RawManifest byTag = client.getManifest("facade/raw:v1");
    assertThat(byTag.descriptor().digest()).isEqualTo(pushed.digest());
    assertThat(byTag.descriptor().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(Digest.sha256(byTag.content())).isEqualTo(pushed.digest());
    assertThat(byTag.kind()).isEqualTo(OciClient.Kind.SINGLE_IMAGE);
    assertThat(
            client
                .getManifest(REGISTRY.registry().hostPort() + "/facade/raw:v1")
                .descriptor()
                .digest())
        .as("a full reference to this registry")
        .isEqualTo(pushed.digest());
  }

  @Test
  void tagsThatAreDigestsAreResolvedAsDigests() throws Exception {
    Descriptor pushed = pushImage("facade/digests");
    assertThat(client.getManifest("facade/digests@" + pushed.digest()).descriptor().digest())
        .isEqualTo(pushed.digest());
    assertThat(client.getManifest("facade/digests:" + pushed.digest()).descriptor().digest())
        .isEqualTo(pushed.digest());
    assertThat(client.getManifest("facade/digests:v1@" + pushed.digest()).descriptor().digest())
        .isEqualTo(pushed.digest());
    assertThat(OciClient.parse("facade/digests:sha256-" + pushed.digest().encoded()).reference())
        .as("a tag that only looks like a digest stays a tag")
        .isEqualTo("sha256-" + pushed.digest().encoded());
    assertThatThrownBy(() -> OciClient.parse("facade/digests:sha256:abc"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("neither a tag nor a valid digest");
    assertThatThrownBy(() -> client.getManifest("facade/digests:nope"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void listsTagsAndRepositories() throws Exception {
    Descriptor pushed = pushImage("facade/list");
    client.putManifest(
        "facade/list:v2", MediaTypes.OCI_MANIFEST, client.getManifest("facade/list:v1").content());
    assertThat(client.listTags("facade/list")).containsExactly("v1", "v2");
    assertThat(client.listRepositories()).contains("facade/list");
    assertThat(client.getManifest("facade/list:v2").descriptor().digest())
        .isEqualTo(pushed.digest());
  }

  @Test
  void findsLayersByTitleMediaTypeAndDigest() throws Exception {
    pushImage("facade/find");
    OciClient.RawManifest manifest = client.getManifest("facade/find:v1");
    Descriptor readme =
        OciClient.findLayer(manifest, new OciClient.LayerQuery.ByTitle("README.md")).orElseThrow();
    assertThat(readme.mediaType()).isEqualTo("text/markdown");
    Descriptor tar =
        OciClient.findLayer(manifest, new OciClient.LayerQuery.ByMediaType(MediaTypes.OCI_LAYER))
            .orElseThrow();
    assertThat(OciClient.findLayer(manifest, new OciClient.LayerQuery.ByDigest(tar.digest())))
        .contains(tar);
    assertThat(OciClient.findLayer(manifest, new OciClient.LayerQuery.ByTitle("missing")))
        .isEmpty();
    try (InputStream in = client.fetchBlob("facade/find", readme.digest())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("# readme");
    }
  }

  @Test
  void tellsAMultiArchIndexFromASingleImage() throws Exception {
    try (Repository repo = repository("facade/multi")) {
      Descriptor amd =
          Fixtures.pushManifest(
              repo,
              null,
              Fixtures.pushConfig(repo, Platform.of("linux", "amd64")),
              List.of(),
              null,
              Map.of());
      Descriptor arm =
          Fixtures.pushManifest(
              repo,
              null,
              Fixtures.pushConfig(repo, Platform.of("linux", "arm64")),
              List.of(),
              null,
              Map.of());
      Descriptor index =
          Fixtures.pushIndex(
              repo,
              List.of(
                  amd.withPlatform(Platform.of("linux", "amd64")),
                  arm.withPlatform(Platform.of("linux", "arm64"))));
      repo.tag(index, "multi");
      repo.tag(amd, "single");
    }
    assertThat(client.isMultiArch("facade/multi:multi")).isTrue();
    assertThat(client.isMultiArch("facade/multi:single")).isFalse();
    assertThat(OciClient.platforms(client.getManifest("facade/multi:multi")))
        .extracting(d -> String.valueOf(d.platform()))
        .containsExactly("linux/amd64", "linux/arm64");
  }

  @Test
  void repeatedBlobFetchesAreServedFromTheCacheWithoutTheNetwork() throws Exception {
    byte[] content = Fixtures.randomBytes(64 * 1024, 7);
    Descriptor blob = client.pushBlob("facade/cache", MediaTypes.OCTET_STREAM, content);
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port());
        OciClient viaProxy =
            OciClient.open(proxy.hostPort(), PLAIN, BlobCache.open(temp.resolve("proxy-cache")))) {
      try (InputStream in = viaProxy.fetchBlob("facade/cache", blob.digest())) {
        assertThat(in.readAllBytes()).isEqualTo(content);
      }
      int afterFirst = proxy.requests();
      assertThat(afterFirst).isPositive();
      for (int i = 0; i < 3; i++) {
        try (InputStream in = viaProxy.fetchBlob("facade/cache", blob.digest())) {
          assertThat(in.readAllBytes()).isEqualTo(content);
        }
      }
      assertThat(proxy.requests()).isEqualTo(afterFirst);
    }
  }

  @Test
  void aDamagedCacheFileFailsInsteadOfServingWrongBytes() throws Exception {
    byte[] content = Fixtures.utf8("cached and then damaged");
    Descriptor blob = client.pushBlob("facade/damaged", MediaTypes.OCTET_STREAM, content);
    client.fetchBlob("facade/damaged", blob.digest()).close();
    Path file = temp.resolve("cache").resolve("sha256").resolve(blob.digest().encoded());
    Files.write(file, Fixtures.utf8("cached and then DAMAGED"));
    assertThatThrownBy(
            () -> {
              try (InputStream in = client.fetchBlob("facade/damaged", blob.digest())) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(dev.stevedore.content.DigestMismatchException.class);
  }

  /**
   * Distribution 2.8 refuses schema-1 pushes, so the legacy manifest is a fixture in the shape old
   * registries serve; its layers are real blobs of the registry, read to compute the diff ids.
   */
  @Test
  void aLegacySchema1ManifestIsConvertedToSchema2() throws Exception {
    byte[] base = gzip("base layer tar");
    byte[] top = gzip("top layer tar");
    Descriptor baseBlob = client.pushBlob("facade/legacy", MediaTypes.DOCKER_LAYER, base);
    Descriptor topBlob = client.pushBlob("facade/legacy", MediaTypes.DOCKER_LAYER, top);
    ObjectMapper json = new ObjectMapper();
    String schema1 =
        "{\"schemaVersion\":1,\"name\":\"facade/legacy\",\"tag\":\"old\",\"architecture\":\"amd64\","
            + "\"fsLayers\":[{\"blobSum\":\""
            + topBlob.digest()
            + "\"},{\"blobSum\":\""
            + baseBlob.digest()
            + "\"}],"
            + "\"history\":[{\"v1Compatibility\":"
            + json.writeValueAsString(
                "{\"id\":\"top\",\"parent\":\"base\",\"architecture\":\"amd64\",\"os\":\"linux\","
                    + "\"config\":{\"Cmd\":[\"/app\"]},\"created\":\"2020-01-01T00:00:00Z\"}")
            + "},"
            + "{\"v1Compatibility\":"
            + json.writeValueAsString("{\"id\":\"base\",\"created\":\"2019-01-01T00:00:00Z\"}")
            + "}]}";

    dev.stevedore.content.Schema1.Converted converted =
        client.convertSchema1(
            "facade/legacy", schema1.getBytes(StandardCharsets.UTF_8), "converted");

    OciClient.RawManifest pushed = client.getManifest("facade/legacy:converted");
    assertThat(pushed.descriptor().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(pushed.kind()).isEqualTo(OciClient.Kind.SINGLE_IMAGE);
    Manifest manifest = Manifest.parse(pushed.content());
    assertThat(manifest.layers())
        .extracting(Descriptor::digest)
        .containsExactly(baseBlob.digest(), topBlob.digest());
    assertThat(manifest.config().digest()).isEqualTo(converted.configDescriptor().digest());
    try (InputStream in = client.fetchBlob("facade/legacy", manifest.config().digest())) {
      JsonNode config = json.readTree(in.readAllBytes());
      assertThat(config.path("rootfs").path("diff_ids"))
          .extracting(JsonNode::asText)
          .containsExactly(
              Digest.sha256(Fixtures.utf8("base layer tar")).toString(),
              Digest.sha256(Fixtures.utf8("top layer tar")).toString());
      assertThat(config.path("config").path("Cmd").get(0).asText()).isEqualTo("/app");
      assertThat(config.has("id")).isFalse();
    }
    assertThat(
            new OciClient.RawManifest(
                    Descriptor.of(
                        MediaTypes.DOCKER_MANIFEST_SCHEMA1_SIGNED, Fixtures.utf8(schema1)),
                    Fixtures.utf8(schema1))
                .kind())
        .isEqualTo(OciClient.Kind.DOCKER_SCHEMA1);
  }

  private static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
