package dev.stevedore.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.memory.MemoryStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path: a copy goes through the engine's descriptor (Caffeine, Jackson,
 * content-api's internal package exported to this module).
 */
class ModulePathTest {
  @Test
  void copiesATaggedArtifactInTheNamedModule() throws Exception {
    assertThat(Copy.class.getModule().getName()).isEqualTo("dev.stevedore.copy");
    MemoryStore source = new MemoryStore();
    byte[] bytes = "layer".getBytes(StandardCharsets.UTF_8);
    Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER, bytes);
    source.push(layer, new ByteArrayInputStream(bytes));
    Descriptor manifest =
        Packer.packManifest(
            source,
            PackManifestVersion.V1_1,
            "application/vnd.example",
            PackManifestOptions.defaults().withLayers(List.of(layer)));
    source.tag(manifest, "v1");
    MemoryStore destination = new MemoryStore();

    Descriptor root = Copy.copy(source, "v1", destination, "v1", CopyOptions.defaults());

    assertThat(root.digest()).isEqualTo(manifest.digest());
    assertThat(destination.exists(layer)).isTrue();
    assertThat(destination.resolve("v1").digest()).isEqualTo(manifest.digest());
  }
}
