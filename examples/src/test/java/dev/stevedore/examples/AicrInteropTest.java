package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.OciUri;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NVIDIA AICR seed (000): references, Package/PushFromStore, PushReferrer and the Helm flow,
 * against a real registry.
 */
@Timeout(60)
class AicrInteropTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private static final String EMPTY =
      "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
          + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2,\"data\":\"e30=\"}";

  @TempDir Path temp;

  private RegistryConnection plain() {
    return new RegistryConnection(
        RegistryConnection.Transport.PLAIN_HTTP,
        StaticCredentials.of(Map.<String, Credential>of()));
  }

  private Repository repository(String name) {
    return Repository.builder()
        .registry(REGISTRY.registry().hostPort())
        .name(name)
        .plainHttp()
        .build();
  }

  private Path bundleDir() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("bundle"));
    Files.writeString(dir.resolve("recipe.yaml"), "kind: Recipe\n");
    return dir;
  }

  @Test
  void referencesFollowTheSeed() throws Exception {
    assertThat(OciUri.SCHEME).isEqualTo("oci://");
    assertThat(OciUri.ensureScheme("ghcr.io/nvidia/bundle:v1"))
        .isEqualTo("oci://ghcr.io/nvidia/bundle:v1");
    assertThat(OciUri.ensureScheme("https://ghcr.io/nvidia")).isEqualTo("https://ghcr.io/nvidia");
    assertThat(OciUri.trimScheme("oci://ghcr.io/nvidia/bundle:v1"))
        .isEqualTo("ghcr.io/nvidia/bundle:v1");

    PublishTarget.Remote remote =
        (PublishTarget.Remote)
            PublishTarget.parse("oci://ghcr.io/myorg/my-bundle-name:v1", "latest");
    assertThat(remote.reference().registry()).isEqualTo("ghcr.io");
    assertThat(remote.reference().repository()).isEqualTo("myorg/my-bundle-name");
    assertThat(remote.chartName()).isEqualTo("my-bundle-name");
    assertThat(remote.toString()).isEqualTo("oci://ghcr.io/myorg/my-bundle-name:v1");
    assertThat(remote.withTag("v2").toString()).isEqualTo("oci://ghcr.io/myorg/my-bundle-name:v2");
    // no tag: the caller's default applies
    assertThat(PublishTarget.parse("oci://localhost:5000/test/bundle", "0.15.0").tag())
        .isEqualTo("0.15.0");
    assertThat(PublishTarget.parse("/tmp/out", "x")).isInstanceOf(PublishTarget.Layout.class);
  }

  @Test
  void packageWritesAicrsManifestAndPushFromStorePushesItUnchanged() throws Exception {
    Path layoutDir = temp.resolve("layout");
    BundlePublisher.Bundle bundle =
        new BundlePublisher.Bundle(
            bundleDir(),
            null,
            BundlePublisher.AICR_ARTIFACT_TYPE,
            BundlePublisher.aicrAnnotations("0.15.0"),
            BundlePublisher.REPRODUCIBLE_TIMESTAMP);
    BundlePublisher.Published packaged =
        BundlePublisher.publish(
            bundle, new PublishTarget.Layout(layoutDir, "v0.15.0"), plain(), null);

    byte[] raw =
        Contents.fetchAll(
            dev.stevedore.content.ocilayout.OciLayoutStore.open(layoutDir),
            packaged.manifest(),
            1 << 20);
    Manifest manifest = Manifest.parse(raw);
    String json = new String(raw, StandardCharsets.UTF_8);
    assertThat(json)
        .startsWith(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.nvidia.aicr.artifact\",\"config\":"
                + EMPTY
                + ",\"layers\":[");
    assertThat(json)
        .endsWith(
            "\"annotations\":{\"org.opencontainers.image.created\":\"1970-01-01T00:00:00Z\","
                + "\"org.opencontainers.image.source\":\"https://github.com/NVIDIA/aicr\","
                + "\"org.opencontainers.image.title\":\"AICR Bundle\",\"org.opencontainers.image.vendor\":\"NVIDIA\","
                + "\"org.opencontainers.image.version\":\"0.15.0\"}}");
    assertThat(manifest.layers())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip"));
    assertThat(packaged.storePath()).isEqualTo(layoutDir);

    PublishTarget.Remote target =
        (PublishTarget.Remote)
            PublishTarget.parse(
                "oci://" + REGISTRY.registry().hostPort() + "/nvidia/bundle:v0.15.0", "latest");
    BundlePublisher.PushResult pushed = BundlePublisher.pushFromStore(layoutDir, target, plain());
    assertThat(pushed.digest()).isEqualTo(packaged.digest());
    assertThat(pushed.descriptor().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(pushed.descriptor().size()).isEqualTo(raw.length);
    assertThat(pushed.reference())
        .isEqualTo(REGISTRY.registry().hostPort() + "/nvidia/bundle:v0.15.0");
    try (Repository repo = repository("nvidia/bundle")) {
      assertThat(Contents.fetchAll(repo, repo.resolve("v0.15.0"), 1 << 20)).isEqualTo(raw);
    }
    assertThatThrownBy(
            () -> BundlePublisher.pushFromStore(layoutDir, target.withTag("missing"), plain()))
        .satisfies(
            e ->
                assertThat(dev.stevedore.content.ContentException.is(e, NotFoundException.class))
                    .isTrue());
    assertThatThrownBy(
            () -> BundlePublisher.pushFromStore(temp.resolve("nowhere"), target, plain()))
        .isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessageContaining("not an OCI layout");
  }

  @Test
  void pushReferrerAttachesOneLayerTaggedByItsOwnDigest() throws Exception {
    byte[] payload =
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}"
            .getBytes(StandardCharsets.UTF_8);
    try (Repository repo = repository("nvidia/referrers")) {
      BundlePublisher.Published subject =
          BundlePublisher.publish(
              new BundlePublisher.Bundle(
                  bundleDir(), null, BundlePublisher.AICR_ARTIFACT_TYPE, Map.of(), Instant.EPOCH),
              PublishTarget.parse(
                  "oci://" + REGISTRY.registry().hostPort() + "/nvidia/referrers:v1", "latest"),
              plain(),
              null);
      BundlePublisher.PushResult referrer =
          BundlePublisher.pushReferrer(
              repo,
              new BundlePublisher.Referrer(
                  BundlePublisher.SIGSTORE_BUNDLE,
                  payload,
                  subject.manifest().plain(),
                  Map.of("dev.example.signer", "ci")));

      assertThat(referrer.tag()).isEqualTo(referrer.descriptor().digest().encoded());
      assertThat(referrer.reference())
          .isEqualTo(REGISTRY.registry().hostPort() + "/nvidia/referrers@" + referrer.digest());
      assertThat(repo.resolve(referrer.tag()).digest()).isEqualTo(referrer.descriptor().digest());
      Manifest manifest = Manifest.parse(Contents.fetchAll(repo, referrer.descriptor(), 1 << 20));
      assertThat(manifest.artifactType()).isEqualTo(BundlePublisher.SIGSTORE_BUNDLE);
      assertThat(manifest.subject()).isEqualTo(subject.manifest().plain());
      assertThat(manifest.layers())
          .containsExactly(
              Descriptor.of(BundlePublisher.SIGSTORE_BUNDLE, payload)
                  .withAnnotations(Map.of(Annotations.TITLE, "payload")));
      assertThat(manifest.annotations())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("dev.example.signer", "ci", Annotations.CREATED, "1970-01-01T00:00:00Z"));
      assertThat(repo.listReferrers(subject.manifest(), BundlePublisher.SIGSTORE_BUNDLE))
          .extracting(Descriptor::digest)
          .containsExactly(referrer.descriptor().digest());
    }
    assertThatThrownBy(() -> new BundlePublisher.Referrer("", payload, null, Map.of()))
        .hasMessage("ArtifactType is required");
    assertThatThrownBy(
            () -> new BundlePublisher.Referrer("application/x", new byte[0], null, Map.of()))
        .hasMessage("LayerContent must be non-empty");
    assertThatThrownBy(() -> new BundlePublisher.Referrer("application/x", payload, null, Map.of()))
        .hasMessage("Subject.Digest is required");
  }

  @Test
  void aHelmChartGoesToTheReferenceGivenWithItsVersionRewrittenInACopy() throws Exception {
    Path chart = temp.resolve("src-chart");
    Files.createDirectories(chart.resolve("templates"));
    String original =
        """
        apiVersion: v2
        name: aicr-bundle
        description: Deploys the bundle
        version: 0.1.0
        appVersion: "1.0"
        keywords: [gpu]
        """;
    Files.writeString(chart.resolve("Chart.yaml"), original);
    Files.writeString(chart.resolve("values.yaml"), "replicas: 1\n");
    Files.writeString(chart.resolve("templates/cm.yaml"), "kind: ConfigMap\n");
    PublishTarget.Remote target =
        (PublishTarget.Remote)
            PublishTarget.parse(
                "oci://" + REGISTRY.registry().hostPort() + "/myorg/my-bundle-name:0.0.0-5bc50950",
                "latest");

    HelmChartPublisher.ReferencePush pushed =
        HelmChartPublisher.publishToReference(
            chart, target, temp.resolve("out"), "v0.15.0", plain());

    assertThat(Files.readString(chart.resolve("Chart.yaml"))).isEqualTo(original);
    assertThat(pushed.reference())
        .isEqualTo(REGISTRY.registry().hostPort() + "/myorg/my-bundle-name:0.0.0-5bc50950");
    assertThat(pushed.storePath()).isEqualTo(temp.resolve("out/oci-layout-helm"));
    try (Repository repo = repository("myorg/my-bundle-name")) {
      byte[] raw = Contents.fetchAll(repo, repo.resolve("0.0.0-5bc50950"), 1 << 20);
      String json = new String(raw, StandardCharsets.UTF_8);
      Manifest manifest = Manifest.parse(raw);
      assertThat(json)
          .startsWith(
              "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                  + "\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\"");
      assertThat(manifest.artifactType()).isNull();
      assertThat(
              new String(
                  Contents.fetchAll(repo, manifest.config(), 1 << 20), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"apiVersion\":\"v2\",\"name\":\"aicr-bundle\",\"version\":\"0.0.0-5bc50950\","
                  + "\"description\":\"Deploys the bundle\",\"appVersion\":\"1.0\"}");
      assertThat(manifest.annotations())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  Annotations.CREATED,
                  "1970-01-01T00:00:00Z",
                  Annotations.TITLE,
                  "aicr-bundle",
                  Annotations.VERSION,
                  "0.0.0-5bc50950",
                  Annotations.VENDOR,
                  "NVIDIA",
                  Annotations.DESCRIPTION,
                  "Deploys the bundle",
                  "com.nvidia.aicr.version",
                  "v0.15.0"));
      Descriptor layer = manifest.layers().get(0);
      assertThat(layer.mediaType())
          .isEqualTo("application/vnd.cncf.helm.chart.content.v1.tar+gzip");
      Map<String, String> files =
          HelmChartPublisherTest.untar(Contents.fetchAll(repo, layer, 1 << 20));
      assertThat(files)
          .containsOnlyKeys(
              "aicr-bundle/Chart.yaml", "aicr-bundle/values.yaml", "aicr-bundle/templates/cm.yaml");
      assertThat(files.get("aicr-bundle/Chart.yaml"))
          .contains("version: 0.0.0-5bc50950")
          .doesNotContain("keywords");
    }
    assertThat(List.of(target.chartName())).containsExactly("my-bundle-name");

    assertThatThrownBy(
            () ->
                HelmChartPublisher.publishToReference(
                    chart, target.withTag("latest"), temp.resolve("o2"), null, plain()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Helm OCI requires a semver-compatible tag; got \"latest\"");
  }
}
