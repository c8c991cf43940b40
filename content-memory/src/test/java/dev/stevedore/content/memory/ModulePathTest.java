package dev.stevedore.content.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path: the store works through the descriptors of its module and content-api's.
 */
class ModulePathTest {
  @Test
  void storesAManifestAndFindsItsPredecessorsInTheNamedModule() throws Exception {
    assertThat(MemoryStore.class.getModule().getName()).isEqualTo("dev.stevedore.content.memory");
    MemoryStore store = new MemoryStore();
    byte[] bytes = "layer".getBytes(StandardCharsets.UTF_8);
    Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER, bytes);
    store.push(layer, new ByteArrayInputStream(bytes));
    // packing parses JSON (Jackson, through content-api's opens); predecessors use content-api's
    // internal package, exported to this module only
    Descriptor manifest =
        Packer.packManifest(
            store,
            PackManifestVersion.V1_1,
            "application/vnd.example",
            PackManifestOptions.defaults().withLayers(List.of(layer)));
    assertThat(store.predecessors(layer))
        .extracting(Descriptor::digest)
        .containsExactly(manifest.digest());
    try (InputStream in = store.fetch(layer)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }
}
