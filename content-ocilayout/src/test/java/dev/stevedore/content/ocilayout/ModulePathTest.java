package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs on the module path: layout and archive (commons-compress, an automatic module) work there.
 */
class ModulePathTest {
  @TempDir Path dir;

  @Test
  void writesALayoutExportsItAsAnArchiveAndReadsItBack() throws Exception {
    assertThat(OciLayoutStore.class.getModule().getName())
        .isEqualTo("dev.stevedore.content.ocilayout");
    Descriptor manifest;
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"));
    {
      byte[] bytes = "layer".getBytes(StandardCharsets.UTF_8);
      Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER, bytes);
      store.push(layer, new ByteArrayInputStream(bytes));
      manifest =
          Packer.packManifest(
              store,
              PackManifestVersion.V1_1,
              "application/vnd.example",
              PackManifestOptions.defaults().withLayers(List.of(layer)));
      store.tag(manifest, "v1");
      store.exportArchive(dir.resolve("layout.tar"));
    }
    try (OciLayoutArchive archive = OciLayoutStore.openArchive(dir.resolve("layout.tar"))) {
      assertThat(archive.resolve("v1").digest()).isEqualTo(manifest.digest());
    }
  }
}
