package dev.stevedore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyBlobIsNamedByTheDigestOfItsContent() throws Exception {
    Path layout = dir.resolve("big");
    LayoutGenerator.main(new String[] {"big", layout.toString(), "2", "100000"});

    List<Path> blobs;
    try (Stream<Path> s = Files.list(layout.resolve("blobs/sha256"))) {
      blobs = s.toList();
    }
    assertThat(blobs).hasSize(4); // 2 layers, config, manifest
    for (Path blob : blobs) {
      assertThat(sha256(Files.readAllBytes(blob))).isEqualTo(blob.getFileName().toString());
    }
    assertThat(Files.readString(layout.resolve("oci-layout")))
        .contains("\"imageLayoutVersion\":\"1.0.0\"");
  }

  @Test
  void manyIsAnIndexOfManifestsWithTheirOwnLayerAndOneSharedConfig() throws Exception {
    Path layout = dir.resolve("many");
    LayoutGenerator.main(new String[] {"many", layout.toString(), "5", "64"});

    JsonNode root = JSON.readTree(layout.resolve("index.json").toFile()).path("manifests").get(0);
    assertThat(root.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.index.v1+json");
    JsonNode index = JSON.readTree(blob(layout, root.path("digest").asText()).toFile());
    JsonNode manifests = index.path("manifests");
    assertThat(manifests).hasSize(5);
    java.util.Set<String> configs = new java.util.HashSet<>();
    java.util.Set<String> layers = new java.util.HashSet<>();
    for (JsonNode m : manifests) {
      JsonNode manifest = JSON.readTree(blob(layout, m.path("digest").asText()).toFile());
      configs.add(manifest.path("config").path("digest").asText());
      layers.add(manifest.path("layers").get(0).path("digest").asText());
    }
    assertThat(configs).hasSize(1);
    assertThat(layers).hasSize(5);
    try (Stream<Path> s = Files.list(layout.resolve("blobs/sha256"))) {
      List<Path> blobs = s.toList();
      assertThat(blobs).hasSize(5 + 5 + 1 + 1); // layers, manifests, config, index
      for (Path blob : blobs) {
        assertThat(sha256(Files.readAllBytes(blob))).isEqualTo(blob.getFileName().toString());
      }
    }
  }

  @Test
  void layersAreGzippedTarsWhoseDigestsAreTheConfigsDiffIds() throws Exception {
    Path layout = dir.resolve("big");
    LayoutGenerator.main(new String[] {"big", layout.toString(), "2", "70000"});

    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    JsonNode root = index.path("manifests").get(0);
    assertThat(root.path("annotations").path("org.opencontainers.image.ref.name").asText())
        .isEqualTo("latest");
    JsonNode manifest = JSON.readTree(blob(layout, root.path("digest").asText()).toFile());
    JsonNode config =
        JSON.readTree(blob(layout, manifest.path("config").path("digest").asText()).toFile());
    assertThat(config.path("os").asText()).isEqualTo("linux");
    for (int i = 0; i < 2; i++) {
      JsonNode layer = manifest.path("layers").get(i);
      assertThat(layer.path("mediaType").asText())
          .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
      byte[] tar;
      try (InputStream in =
          new GZIPInputStream(Files.newInputStream(blob(layout, layer.path("digest").asText())))) {
        tar = in.readAllBytes();
      }
      assertThat("sha256:" + sha256(tar))
          .isEqualTo(config.path("rootfs").path("diff_ids").get(i).asText());
      assertThat(tar.length % 512).isZero();
      assertThat(new String(tar, 257, 5, "US-ASCII")).isEqualTo("ustar");
      assertThat(Long.parseLong(new String(tar, 124, 11, "US-ASCII").trim(), 8)).isEqualTo(70000);
      // file names for `stevedore pull` (scenario s2files)
      assertThat(layer.path("annotations").path("org.opencontainers.image.title").asText())
          .isEqualTo("big-" + i + ".tar.gz");
    }
  }

  @Test
  void onlyTheBigLayoutsLayersHaveFileNames() throws Exception {
    Path layout = dir.resolve("small");
    LayoutGenerator.main(new String[] {"small", layout.toString(), "2", "100"});

    JsonNode root = JSON.readTree(layout.resolve("index.json").toFile()).path("manifests").get(0);
    JsonNode manifest = JSON.readTree(blob(layout, root.path("digest").asText()).toFile());
    assertThat(manifest.path("layers")).hasSize(2);
    for (JsonNode layer : manifest.path("layers")) {
      assertThat(layer.has("annotations")).isFalse();
    }
  }

  @Test
  void tarHeaderChecksumIsValid() {
    byte[] h = LayoutGenerator.tarHeader("a.bin", 12345);
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
    }
    assertThat(
            Long.parseLong(
                new String(h, 148, 6, java.nio.charset.StandardCharsets.US_ASCII).trim(), 8))
        .isEqualTo(sum);
  }

  @Test
  void multiPlatformIndexHasFourPlatformsSharingTheBaseLayer() throws Exception {
    Path layout = dir.resolve("multi");
    LayoutGenerator.main(new String[] {"multi", layout.toString(), "5000", "1000"});

    JsonNode root = JSON.readTree(layout.resolve("index.json").toFile()).path("manifests").get(0);
    assertThat(root.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.index.v1+json");
    JsonNode index = JSON.readTree(blob(layout, root.path("digest").asText()).toFile());
    assertThat(index.path("manifests")).hasSize(4);
    String base = null;
    for (JsonNode m : index.path("manifests")) {
      assertThat(m.path("platform").path("os").asText()).isEqualTo("linux");
      JsonNode manifest = JSON.readTree(blob(layout, m.path("digest").asText()).toFile());
      String first = manifest.path("layers").get(0).path("digest").asText();
      base = base == null ? first : base;
      assertThat(first).isEqualTo(base);
    }
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
