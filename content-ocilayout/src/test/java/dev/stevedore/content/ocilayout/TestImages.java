package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Pusher;
import dev.stevedore.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Real OCI images (image config, tar+gzip layer) that skopeo and umoci accept. */
final class TestImages {
  private TestImages() {}

  /** A layer holding one file, its gzip form, and the digest of its uncompressed tar (diff_id). */
  // a test fixture handed to the test that made it; nothing shares or changes the array
  @SuppressWarnings("ArrayRecordComponent")
  record Layer(byte[] gzip, Digest diffId) {}

  static Layer layer(String fileName, String content) throws IOException {
    ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
      byte[] data = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry(fileName);
      entry.setSize(data.length);
      entry.setMode(0100644);
      entry.setLastModifiedTime(FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
      tar.putArchiveEntry(entry);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    byte[] uncompressed = tarBytes.toByteArray();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(uncompressed);
    }
    return new Layer(gz.toByteArray(), Digest.sha256(uncompressed));
  }

  /**
   * Pushes a one-layer linux/amd64 image and returns its manifest descriptor.
   *
   * @param seed makes the image unique
   */
  static Descriptor pushImage(Pusher store, String seed) throws IOException {
    Layer layer = layer("hello-" + seed + ".txt", "hello from " + seed + "\n");
    Descriptor layerDesc = Fixtures.pushBlob(store, MediaTypes.OCI_LAYER_GZIP, layer.gzip());
    String config =
        "{\"architecture\":\"amd64\",\"config\":{\"Env\":[\"SEED="
            + seed
            + "\"]},\"created\":"
            + "\"2024-01-01T00:00:00Z\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
            + layer.diffId()
            + "\"]}}";
    Descriptor configDesc = Fixtures.pushBlob(store, MediaTypes.OCI_CONFIG, Fixtures.utf8(config));
    return Fixtures.pushManifest(store, null, configDesc, List.of(layerDesc), null, Map.of());
  }
}
