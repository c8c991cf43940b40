package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path (the build's module-path execution): the descriptor of {@code
 * dev.stevedore.content} is what a modular consumer gets.
 */
class ModulePathTest {
  private static final Module MODULE = Descriptor.class.getModule();

  @Test
  void runsInTheNamedModule() {
    assertThat(MODULE.isNamed()).isTrue();
    assertThat(MODULE.getName()).isEqualTo("dev.stevedore.content");
  }

  @Test
  void jacksonReadsAndWritesTheRecordsThroughTheOpensOfTheDescriptor() throws Exception {
    byte[] layer = "layer".getBytes(StandardCharsets.UTF_8);
    Descriptor desc =
        Descriptor.of(MediaTypes.OCI_LAYER, layer).withAnnotations(Map.of(Annotations.TITLE, "a"));
    Manifest manifest =
        new Manifest(
            2,
            MediaTypes.OCI_MANIFEST,
            "application/vnd.example",
            MediaTypes.EMPTY_JSON,
            List.of(desc),
            null,
            Map.of());
    assertThat(Manifest.parse(manifest.toJson())).isEqualTo(manifest);
  }

  @Test
  void jacksonIsNotRequiredTransitivelyAndInternalIsExportedOnlyToStevedoreModules() {
    ModuleDescriptor descriptor = MODULE.getDescriptor();
    Set<String> transitive =
        descriptor.requires().stream()
            .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());
    assertThat(transitive).containsExactly("org.jspecify");
    ModuleDescriptor.Exports internal =
        descriptor.exports().stream()
            .filter(e -> e.source().equals("dev.stevedore.content.internal"))
            .findFirst()
            .orElseThrow();
    assertThat(internal.isQualified()).isTrue();
    assertThat(internal.targets())
        .allMatch(t -> t.startsWith("dev.stevedore."))
        .doesNotContain("dev.stevedore.testing", "dev.stevedore.cli", "dev.stevedore.examples");
    assertThat(MODULE.isExported("dev.stevedore.content.internal")).isFalse();
  }
}
