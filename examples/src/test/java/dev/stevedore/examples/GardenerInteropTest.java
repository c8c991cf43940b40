package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.LegacyMediaTypes;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Gardener ociclient seed (002), against a real registry with basic auth. */
@Timeout(60)
class GardenerInteropTest {
  private static final Path DIR = TestDirs.create("gardener");

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder()
              .htpasswd(
                  "stevedore-gardener",
                  TestDirs.unchecked(
                      () ->
                          AuthFixtures.htpasswd(
                              DIR.resolve("htpasswd"), Map.of("gardener", "shoot"))))
              .build());

  @TempDir Path temp;

  private static final RegistryConnection ANONYMOUS_PLAIN =
      new RegistryConnection(
          RegistryConnection.Transport.PLAIN_HTTP,
          StaticCredentials.of(Map.<String, Credential>of()));

  private Path dockerConfig(String name, String host, String user, String password)
      throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return Files.writeString(
        temp.resolve(name), "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}");
  }

  private OciClient client(OciClient.Options options) throws Exception {
    return client(ANONYMOUS_PLAIN, options);
  }

  private OciClient client(RegistryConnection connection, OciClient.Options options)
      throws Exception {
    return OciClient.open(
        REGISTRY.registry().hostPort(), connection, BlobCache.open(temp.resolve("cache")), options);
  }

  private OciClient.Options withCredentials() throws Exception {
    return OciClient.Options.defaults()
        .withConfigPaths(
            List.of(
                temp.resolve("missing.json"),
                dockerConfig("config.json", REGISTRY.registry().hostPort(), "gardener", "shoot")));
  }

  @Test
  void theSeedsMediaTypeConstants() {
    assertThat(OciClient.MEDIA_TYPE_DOCKER_V2_SCHEMA1_MANIFEST)
        .isEqualTo("application/vnd.docker.distribution.manifest.v1+json");
    assertThat(OciClient.MEDIA_TYPE_DOCKER_V2_SCHEMA1_SIGNED_MANIFEST)
        .isEqualTo("application/vnd.docker.distribution.manifest.v1+prettyjws");
    assertThat(OciClient.MEDIA_TYPE_IMAGE_LAYER_ZSTD)
        .isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
    assertThat(OciClient.MEDIA_TYPE_TAR).isEqualTo("application/tar");
    assertThat(OciClient.MEDIA_TYPE_TAR_GZIP).isEqualTo("application/tar+gzip");
    assertThat(LegacyMediaTypes.DEFAULT_KNOWN)
        .containsExactlyInAnyOrder("application/tar+gzip", "application/tar");
    assertThat(OciClient.isMultiArchImage(MediaTypes.OCI_INDEX)).isTrue();
    assertThat(OciClient.isMultiArchImage(MediaTypes.DOCKER_MANIFEST_LIST)).isTrue();
    assertThat(OciClient.isMultiArchImage(MediaTypes.OCI_MANIFEST)).isFalse();
    assertThat(OciClient.isSingleArchImage(MediaTypes.OCI_MANIFEST)).isTrue();
    assertThat(OciClient.isSingleArchImage(MediaTypes.DOCKER_MANIFEST)).isTrue();
    assertThat(OciClient.isSingleArchImage(MediaTypes.DOCKER_MANIFEST_SCHEMA1)).isFalse();
  }

  @Test
  void tagsThatAreDigestsAndImageRefs() throws Exception {
    String digest = "sha256:" + "a".repeat(64);
    assertThat(OciClient.tagIsDigest(digest)).isTrue();
    assertThat(OciClient.tagIsDigest("v1.0")).isFalse();
    assertThat(OciClient.parseImageRef("eu.gcr.io/gardener-project/cli:v1.2.3"))
        .isEqualTo(new OciClient.ImageRef("eu.gcr.io/gardener-project/cli", "v1.2.3"));
    assertThat(OciClient.parseImageRef("localhost:5000/cli@" + digest))
        .isEqualTo(new OciClient.ImageRef("localhost:5000/cli", digest));
    assertThatThrownBy(() -> OciClient.parseImageRef("localhost:5000/cli"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("no tag or digest");
  }

  /**
   * Every lookup by digest or media type returns all matches; by name the first; legacy and zstd
   * types included.
   */
  @Test
  void layerLookupsReturnEveryMatchOfLegacyAndZstdLayers() throws Exception {
    byte[] tarGzip = Fixtures.randomBytes(100, 1);
    byte[] zstd = Fixtures.randomBytes(80, 2);
    try (OciClient client = client(withCredentials())) {
      Descriptor legacy = client.pushBlob("components/cli", LegacyMediaTypes.TAR_GZIP, tarGzip);
      Descriptor zstdLayer = client.pushBlob("components/cli", MediaTypes.OCI_LAYER_ZSTD, zstd);
      Descriptor config =
          client.pushBlob(
              "components/cli",
              "application/vnd.gardener.cloud.cnudie.component.config.v1+json",
              Fixtures.utf8("{}"));
      List<Descriptor> layers =
          List.of(
              legacy.withAnnotations(Map.of(Annotations.TITLE, "first")),
              zstdLayer,
              legacy.withAnnotations(Map.of(Annotations.TITLE, "second")));
      byte[] json =
          new Manifest(2, MediaTypes.OCI_MANIFEST, null, config, layers, null, Map.of()).toJson();
      client.putManifest("components/cli:v1", MediaTypes.OCI_MANIFEST, json);

      OciClient.RawManifest raw = client.getManifest("components/cli:v1");
      assertThat(raw.content()).isEqualTo(json);
      List<Descriptor> fetched = Manifest.parse(raw.content()).layers();
      assertThat(OciClient.layersByDigest(fetched, legacy.digest().toString()))
          .hasSize(2)
          .extracting(l -> l.annotation(Annotations.TITLE))
          .containsExactly("first", "second");
      assertThat(OciClient.layersByMediaType(fetched, "application/tar+gzip")).hasSize(2);
      assertThat(
              OciClient.layersByMediaType(fetched, "application/vnd.oci.image.layer.v1.tar+zstd"))
          .containsExactly(zstdLayer);
      assertThat(OciClient.layerByName(fetched, "second")).contains(fetched.get(2));
      assertThat(OciClient.layerByName(fetched, "third")).isEmpty();
      assertThat(OciClient.findLayers(raw, new OciClient.LayerQuery.ByDigest(legacy.digest())))
          .hasSize(2);
      assertThat(client.isKnownMediaType("application/tar+gzip")).isTrue();
      assertThat(client.isKnownMediaType("application/tar")).isTrue();
      assertThat(client.isKnownMediaType("application/x-custom")).isFalse();

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      client.fetch("components/cli:v1", legacy, out);
      assertThat(out.toByteArray()).isEqualTo(tarGzip);
      assertThat(client.listTags(REGISTRY.registry().hostPort() + "/components/cli:v1"))
          .containsExactly("v1");
      assertThat(client.resolve("components/cli:v1").digest()).isEqualTo(raw.descriptor().digest());
    }
    OciClient.Options custom =
        OciClient.Options.defaults().withKnownMediaType("application/x-custom");
    try (OciClient client = client(custom)) {
      assertThat(client.isKnownMediaType("application/x-custom")).isTrue();
    }
  }

  @Test
  void dockerConfigPathsAreSearchedInOrderFirstHitWins() throws Exception {
    String host = REGISTRY.registry().hostPort();
    Path other = dockerConfig("other.json", "elsewhere.example.com", "x", "y");
    Path wrong = dockerConfig("wrong.json", host, "gardener", "wrong");
    Path right = dockerConfig("right.json", host, "gardener", "shoot");
    assertThat(
            new DockerConfigPaths(List.of(temp.resolve("none.json"), other, right))
                .credential(host))
        .isEqualTo(Credential.basic("gardener", "shoot"));
    assertThat(new DockerConfigPaths(List.of(wrong, right)).credential(host))
        .isEqualTo(Credential.basic("gardener", "wrong"));
    assertThat(new DockerConfigPaths(List.of(other)).credential(host)).isEqualTo(Credential.EMPTY);

    try (OciClient client =
        client(OciClient.Options.defaults().withConfigPaths(List.of(other, right, wrong)))) {
      client.pushBlob("paths/repo", MediaTypes.OCTET_STREAM, Fixtures.utf8("x"));
      assertThat(client.listRepositories()).contains("paths/repo");
    }
  }

  @Test
  void plainHttpIsAFallbackOnlyWhenAllowed() throws Exception {
    RegistryConnection https = ANONYMOUS_PLAIN.withTransport(RegistryConnection.Transport.HTTPS);
    try (OciClient client = client(https, withCredentials().withAllowPlainHttp(true))) {
      assertThat(client.plainHttp()).isTrue();
      client.pushBlob("fallback/repo", MediaTypes.OCTET_STREAM, Fixtures.utf8("over http"));
      assertThat(client.listTags("fallback/repo")).isEmpty();
    }
    try (OciClient client = client(https, withCredentials())) {
      assertThat(client.plainHttp()).isFalse();
      assertThatThrownBy(() -> client.listRepositories())
          .satisfies(e -> assertThat(OciClient.isTlsMismatch(e)).isTrue());
    }
  }

  @Test
  void copyMovesAnArtifactUnmodifiedAndPushBlobReadsFromASource() throws Exception {
    byte[] layer = Fixtures.randomBytes(300, 5);
    try (OciClient client = client(withCredentials())) {
      Descriptor blob = Descriptor.of(LegacyMediaTypes.TAR, layer);
      client.pushBlob("copy/src:v1", blob, desc -> new ByteArrayInputStream(layer));
      Descriptor config = client.pushBlob("copy/src", MediaTypes.OCI_CONFIG, Fixtures.utf8("{}"));
      byte[] json =
          new Manifest(2, MediaTypes.OCI_MANIFEST, null, config, List.of(blob), null, Map.of())
              .toJson();
      client.putManifest("copy/src:v1", MediaTypes.OCI_MANIFEST, json);

      Descriptor copied = client.copy("copy/src:v1", "copy/dst:v2");
      assertThat(copied.digest()).isEqualTo(Descriptor.of(MediaTypes.OCI_MANIFEST, json).digest());
      assertThat(client.getManifest("copy/dst:v2").content()).isEqualTo(json);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      client.fetch("copy/dst:v2", blob, out);
      assertThat(out.toByteArray()).isEqualTo(layer);
    }
  }
}
