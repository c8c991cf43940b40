package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class Schema1Test {
  private final Map<Digest, byte[]> blobs = new HashMap<>();
  private final Schema1.LayerSource source =
      new Schema1.LayerSource() {
        @Override
        public Descriptor describe(Digest blobSum) throws IOException {
          byte[] b = blobs.get(blobSum);
          if (b == null) {
            throw new NotFoundException(blobSum + ": not found");
          }
          return Descriptor.of(MediaTypes.OCTET_STREAM, blobSum, b.length);
        }

        @Override
        public InputStream open(Descriptor layer) {
          return new ByteArrayInputStream(blobs.get(layer.digest()));
        }
      };

  private static byte[] gzip(String content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private Digest layer(String content) throws IOException {
    byte[] gz = gzip(content);
    Digest d = Digest.sha256(gz);
    blobs.put(d, gz);
    return d;
  }

  private static String v1(String json) {
    return "{\"v1Compatibility\":"
        + new String(
            new ObjectMapper().valueToTree(json).toString().getBytes(StandardCharsets.UTF_8),
            StandardCharsets.UTF_8)
        + "}";
  }

  /**
   * A signed schema-1 manifest in the shape registries serve: newest layer first, a throwaway in
   * between.
   */
  private byte[] fixture() throws IOException {
    Digest top = layer("top layer tar");
    Digest empty = layer("");
    Digest base = layer("base layer tar");
    String json =
        "{\"schemaVersion\":1,\"name\":\"library/hello\",\"tag\":\"latest\",\"architecture\":\"amd64\","
            + "\"fsLayers\":[{\"blobSum\":\""
            + top
            + "\"},{\"blobSum\":\""
            + empty
            + "\"},{\"blobSum\":\""
            + base
            + "\"}],"
            + "\"history\":["
            + v1(
                "{\"architecture\":\"amd64\",\"config\":{\"Cmd\":[\"/hello\"],\"Env\":[\"PATH=/bin\"]},"
                    + "\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) COPY file:abc in / \"]},"
                    + "\"created\":\"2023-05-02T16:49:27.904064Z\",\"docker_version\":\"20.10.23\",\"id\":\"top-id\","
                    + "\"os\":\"linux\",\"parent\":\"mid-id\"}")
            + ","
            + v1(
                "{\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop)  CMD [\\\"/hello\\\"]\"]},"
                    + "\"created\":\"2023-05-02T16:49:27.5Z\",\"id\":\"mid-id\",\"parent\":\"base-id\",\"throwaway\":true}")
            + ","
            + v1(
                "{\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) ADD file:base in / \"]},"
                    + "\"created\":\"2023-05-02T16:49:27.1Z\",\"id\":\"base-id\",\"author\":\"someone\"}")
            + "],\"signatures\":[{\"header\":{\"alg\":\"ES256\"},\"signature\":\"abc\",\"protected\":\"def\"}]}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void layersComeOutOldestFirstWithoutThrowaways() throws Exception {
    Schema1.Converted converted = Schema1.convert(fixture(), source);
    assertThat(converted.manifest().layers()).hasSize(2);
    assertThat(converted.manifest().layers().get(0).digest())
        .isEqualTo(Digest.sha256(gzip("base layer tar")));
    assertThat(converted.manifest().layers().get(1).digest())
        .isEqualTo(Digest.sha256(gzip("top layer tar")));
    assertThat(converted.manifest().layers())
        .allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER));
    assertThat(converted.manifest().layers().get(0).size())
        .isEqualTo(gzip("base layer tar").length);
    assertThat(converted.manifestDescriptor().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(Manifest.parse(converted.manifestBytes())).isEqualTo(converted.manifest());
  }

  @Test
  void configHasDiffIdsHistoryAndNoV1Ids() throws Exception {
    Schema1.Converted converted = Schema1.convert(fixture(), source);
    JsonNode config = new ObjectMapper().readTree(converted.config());
    assertThat(config.get("rootfs").get("type").asText()).isEqualTo("layers");
    assertThat(config.get("rootfs").get("diff_ids").get(0).asText())
        .isEqualTo(Digest.sha256("base layer tar".getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(config.get("rootfs").get("diff_ids").get(1).asText())
        .isEqualTo(Digest.sha256("top layer tar".getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(config.has("id")).isFalse();
    assertThat(config.has("parent")).isFalse();
    assertThat(config.get("architecture").asText()).isEqualTo("amd64");
    assertThat(config.get("config").get("Cmd").get(0).asText()).isEqualTo("/hello");
    JsonNode history = config.get("history");
    assertThat(history).hasSize(3);
    assertThat(history.get(0).get("author").asText()).isEqualTo("someone");
    assertThat(history.get(1).get("empty_layer").asBoolean()).isTrue();
    assertThat(history.get(2).get("created_by").asText())
        .isEqualTo("/bin/sh -c #(nop) COPY file:abc in / ");
    assertThat(converted.configDescriptor().digest()).isEqualTo(Digest.sha256(converted.config()));
    assertThat(converted.manifest().config()).isEqualTo(converted.configDescriptor());
  }

  @Test
  void conversionIsDeterministic() throws Exception {
    byte[] manifest = fixture();
    assertThat(Schema1.convert(manifest, source).manifestDescriptor())
        .isEqualTo(Schema1.convert(manifest, source).manifestDescriptor());
  }

  @Test
  void aCorruptLayerIsADigestMismatch() throws Exception {
    byte[] manifest = fixture();
    Digest base = Digest.sha256(gzip("base layer tar"));
    byte[] corrupt = Objects.requireNonNull(blobs.get(base), "the base layer").clone();
    corrupt[corrupt.length - 1] ^= 1;
    blobs.put(base, corrupt);
    assertThatThrownBy(() -> Schema1.convert(manifest, source))
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void malformedManifestsAreClearErrors() {
    assertThatThrownBy(
            () -> Schema1.convert("{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8), source))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("schemaVersion is 2");
    assertThatThrownBy(
            () ->
                Schema1.convert(
                    "{\"schemaVersion\":1,\"fsLayers\":[{}],\"history\":[]}"
                        .getBytes(StandardCharsets.UTF_8),
                    source))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("same length");
  }

  @Test
  void mediaTypesAreRecognised() {
    assertThat(Schema1.isSchema1(MediaTypes.DOCKER_MANIFEST_SCHEMA1_SIGNED)).isTrue();
    assertThat(Schema1.isSchema1(MediaTypes.DOCKER_MANIFEST)).isFalse();
  }
}
