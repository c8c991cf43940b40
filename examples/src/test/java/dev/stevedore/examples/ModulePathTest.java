package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs on the module path: the examples module resolves with every Stevedore module it requires.
 */
class ModulePathTest {
  @TempDir Path dir;

  @Test
  void collectsManifestFilesInTheNamedModule() throws Exception {
    assertThat(ManifestBundlePublisher.class.getModule().getName())
        .isEqualTo("dev.stevedore.examples");
    Files.writeString(dir.resolve("b.yaml"), "kind: B");
    Files.writeString(dir.resolve("a.json"), "{}");
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    assertThat(ManifestBundlePublisher.collect(dir))
        .extracting(p -> p.getFileName().toString())
        .containsExactly("a.json", "b.yaml");
  }
}
