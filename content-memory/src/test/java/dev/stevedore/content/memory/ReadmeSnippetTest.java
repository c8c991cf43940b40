package dev.stevedore.content.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's ten-line snippet, compiled and run, so the README cannot drift from the API. */
class ReadmeSnippetTest {
  @Test
  void theReadmeSnippetPacksAndTagsAnArtifact() throws Exception {
    // --- README snippet begins
    MemoryStore store = new MemoryStore();
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    Descriptor layer =
        Descriptor.of("text/plain", hello).withAnnotations(Map.of(Annotations.TITLE, "hello.txt"));
    store.push(layer, new ByteArrayInputStream(hello));
    Descriptor manifest =
        Packer.packManifest(
            store,
            PackManifestVersion.V1_1,
            "application/vnd.example.hello",
            PackManifestOptions.defaults().withLayers(List.of(layer)));
    store.tag(manifest, "v1");
    System.out.println(store.resolve("v1"));
    // --- README snippet ends
    assertThat(store.resolve("v1").digest()).isEqualTo(manifest.digest());
    assertThat(store.predecessors(layer))
        .extracting(Descriptor::digest)
        .containsExactly(manifest.digest());
  }
}
