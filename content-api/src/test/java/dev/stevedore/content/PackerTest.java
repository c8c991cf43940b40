package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class PackerTest {
  private static final String CREATED = "2000-01-01T00:00:00Z";
  private static final String EMPTY =
      "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2,\"data\":\"e30=\"}";

  /** A pusher that records what it was given, verifying content like a real store. */
  static class RecordingPusher implements Storage {
    final Map<Digest, byte[]> pushed = new HashMap<>();

    byte[] bytes(Digest digest) {
      return Objects.requireNonNull(pushed.get(digest), () -> digest + " was not pushed");
    }

    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
      pushed.put(expected.digest(), Contents.readAll(content, expected, 1 << 20));
    }

    @Override
    public InputStream fetch(Descriptor target) throws IOException {
      byte[] b = pushed.get(target.digest());
      if (b == null) {
        throw new NotFoundException(target.digest() + ": not found");
      }
      return new ByteArrayInputStream(b);
    }

    @Override
    public boolean exists(Descriptor target) {
      return pushed.containsKey(target.digest());
    }

    String manifest(Descriptor desc) {
      return new String(pushed.get(desc.digest()), StandardCharsets.UTF_8);
    }
  }

  @Test
  void v11WithoutLayersUsesTheEmptyConfigAndOneEmptyLayer() throws Exception {
    RecordingPusher pusher = new RecordingPusher();
    Descriptor desc =
        Packer.packManifest(
            pusher,
            PackManifestVersion.V1_1,
            "application/vnd.example+type",
            PackManifestOptions.defaults()
                .withManifestAnnotations(Map.of(Annotations.CREATED, CREATED)));
    // The bytes oras-go's PackManifest (v2) marshals for the same inputs: ocispec.Manifest field
    // order,
    // DescriptorEmptyJSON (with data) as config and single layer.
    String expected =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"artifactType\":\"application/vnd.example+type\",\"config\":"
            + EMPTY
            + ",\"layers\":["
            + EMPTY
            + "],"
            + "\"annotations\":{\"org.opencontainers.image.created\":\""
            + CREATED
            + "\"}}";
    assertThat(pusher.manifest(desc)).isEqualTo(expected);
    assertThat(desc.digest()).isEqualTo(Digest.sha256(expected.getBytes(StandardCharsets.UTF_8)));
    assertThat(desc.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(desc.artifactType()).isEqualTo("application/vnd.example+type");
    assertThat(desc.annotations()).containsEntry(Annotations.CREATED, CREATED);
    assertThat(pusher.pushed).containsKey(MediaTypes.EMPTY_JSON.digest());
  }

  @Test
  void v11WithLayersAndSubjectIsStable() throws Exception {
    RecordingPusher pusher = new RecordingPusher();
    byte[] file = "hello".getBytes(StandardCharsets.UTF_8);
    Descriptor layer =
        Descriptor.of("application/vnd.oci.image.layer.v1.tar", file)
            .withAnnotations(Map.of(Annotations.TITLE, "hello.txt"));
    Descriptor subject =
        Descriptor.of(MediaTypes.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8));
    PackManifestOptions options =
        PackManifestOptions.defaults()
            .withLayers(List.of(layer))
            .withSubject(subject)
            .withManifestAnnotations(
                Map.of(Annotations.CREATED, CREATED, "com.example.key", "value"));
    Descriptor first =
        Packer.packManifest(
            pusher, PackManifestVersion.V1_1, "application/vnd.example.sig", options);
    Descriptor second =
        Packer.packManifest(
            new RecordingPusher(),
            PackManifestVersion.V1_1,
            "application/vnd.example.sig",
            options);
    assertThat(second).isEqualTo(first);
    String json = pusher.manifest(first);
    assertThat(json)
        .isEqualTo(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.example.sig\",\"config\":"
                + EMPTY
                + ","
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + layer.digest()
                + "\",\"size\":5,\"annotations\":{\"org.opencontainers.image.title\":\"hello.txt\"}}],"
                + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + subject.digest()
                + "\",\"size\":2},"
                + "\"annotations\":{\"com.example.key\":\"value\",\"org.opencontainers.image.created\":\""
                + CREATED
                + "\"}}");
  }

  @Test
  void v10UsesTheArtifactTypeAsConfigMediaType() throws Exception {
    RecordingPusher pusher = new RecordingPusher();
    Descriptor desc =
        Packer.packManifest(
            pusher,
            PackManifestVersion.V1_0,
            "application/vnd.example.config",
            PackManifestOptions.defaults()
                .withManifestAnnotations(Map.of(Annotations.CREATED, CREATED)));
    assertThat(pusher.manifest(desc))
        .isEqualTo(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.example.config\",\"digest\":\""
                + MediaTypes.EMPTY_JSON.digest()
                + "\",\"size\":2},\"layers\":[],\"annotations\":{\"org.opencontainers.image.created\":\""
                + CREATED
                + "\"}}");
    assertThat(desc.artifactType()).isEqualTo("application/vnd.example.config");
  }

  @Test
  void v10WithoutArtifactTypeUsesTheUnknownConfigType() throws Exception {
    RecordingPusher pusher = new RecordingPusher();
    Descriptor desc =
        Packer.packManifest(pusher, PackManifestVersion.V1_0, null, PackManifestOptions.defaults());
    assertThat(Manifest.parse(pusher.bytes(desc.digest())).config().mediaType())
        .isEqualTo(MediaTypes.UNKNOWN_CONFIG);
  }

  @Test
  void v10RefusesASubject() {
    Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, new byte[] {1});
    assertThatThrownBy(
            () ->
                Packer.packManifest(
                    new RecordingPusher(),
                    PackManifestVersion.V1_0,
                    "application/x",
                    PackManifestOptions.defaults().withSubject(subject)))
        .isInstanceOf(UnsupportedContentException.class)
        .hasMessageContaining("subject");
  }

  @Test
  void v11RequiresAnArtifactTypeWithTheEmptyConfig() {
    assertThatThrownBy(
            () ->
                Packer.packManifest(
                    new RecordingPusher(),
                    PackManifestVersion.V1_1,
                    null,
                    PackManifestOptions.defaults()))
        .isInstanceOf(MissingArtifactTypeException.class)
        .hasMessageContaining("artifact type is required");
  }

  @Test
  void v11AcceptsAConfigInsteadOfAnArtifactType() throws Exception {
    RecordingPusher pusher = new RecordingPusher();
    Descriptor config =
        Descriptor.of(
            "application/vnd.example.config.v1+json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    Descriptor desc =
        Packer.packManifest(
            pusher,
            PackManifestVersion.V1_1,
            null,
            PackManifestOptions.defaults().withConfig(config));
    Manifest manifest = Manifest.parse(pusher.bytes(desc.digest()));
    assertThat(manifest.config()).isEqualTo(config);
    assertThat(manifest.artifactType()).isNull();
    assertThat(manifest.layers()).containsExactly(MediaTypes.EMPTY_JSON);
  }

  @Test
  void anInvalidArtifactTypeIsRejected() {
    assertThatThrownBy(
            () ->
                Packer.packManifest(
                    new RecordingPusher(),
                    PackManifestVersion.V1_1,
                    "not a media type",
                    PackManifestOptions.defaults()))
        .isInstanceOfSatisfying(
            InvalidMediaTypeException.class,
            e -> assertThat(e.mediaType()).isEqualTo("not a media type"))
        .hasMessageContaining("RFC 6838");
  }

  @Test
  void aCreatedAnnotationThatIsNotRfc3339IsRejected() {
    assertThatThrownBy(
            () ->
                Packer.packManifest(
                    new RecordingPusher(),
                    PackManifestVersion.V1_1,
                    "application/x",
                    PackManifestOptions.defaults()
                        .withManifestAnnotations(Map.of(Annotations.CREATED, "yesterday"))))
        .isInstanceOfSatisfying(
            InvalidDateTimeException.class, e -> assertThat(e.value()).isEqualTo("yesterday"))
        .hasMessageContaining("RFC 3339");
  }

  @Test
  void anInvalidConfigMediaTypeIsRejectedWithItsOwnType() {
    Descriptor config = Descriptor.of("application/a/b", "{}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(
            () ->
                Packer.packManifest(
                    new RecordingPusher(),
                    PackManifestVersion.V1_1,
                    null,
                    PackManifestOptions.defaults().withConfig(config)))
        .isInstanceOfSatisfying(
            InvalidMediaTypeException.class,
            e -> assertThat(e.mediaType()).isEqualTo("application/a/b"));
  }

  @Test
  void createdIsSetToNowInUtcSecondsWhenAbsent() throws Exception {
    Descriptor desc =
        Packer.packManifest(
            new RecordingPusher(),
            PackManifestVersion.V1_1,
            "application/x",
            PackManifestOptions.defaults());
    assertThat(desc.annotations().get(Annotations.CREATED))
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
  }

  @Test
  void rfc3339AcceptsOffsetsAndFractionsLikeGo() {
    assertThat(Packer.isRfc3339("2024-02-29T12:00:00.123+05:30")).isTrue();
    assertThat(Packer.isRfc3339("2024-02-30T12:00:00Z")).isFalse();
    assertThat(Packer.isRfc3339("2024-02-01T12:00Z")).isFalse();
  }

  @Test
  void blobsAlreadyInTheStoreAreNotPushedAgain() throws Exception {
    int[] pushes = {0};
    RecordingPusher pusher =
        new RecordingPusher() {
          @Override
          public void push(Descriptor expected, InputStream content) throws IOException {
            pushes[0]++;
            super.push(expected, content);
          }
        };
    pusher.pushed.put(MediaTypes.EMPTY_JSON.digest(), MediaTypes.emptyJsonBytes());
    Packer.packManifest(
        pusher, PackManifestVersion.V1_1, "application/x", PackManifestOptions.defaults());
    assertThat(pushes[0]).as("only the manifest is pushed").isEqualTo(1);
  }
}
