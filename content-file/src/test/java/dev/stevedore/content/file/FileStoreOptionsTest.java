package dev.stevedore.content.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileStoreOptionsTest {

  @Test
  void defaultsAreThoseDocumented() {
    FileStoreOptions defaults = FileStoreOptions.defaults();
    assertThat(defaults).isEqualTo(new FileStoreOptions(false, false, false, false, false, false,
        4L * 1024 * 1024, 4L * 1024 * 1024, null));
  }

  @Test
  void builderSetsEverySwitch() {
    FileStoreOptions options = FileStoreOptions.builder().tarReproducible(true).allowPathTraversalOnWrite(true)
        .disableOverwrite(true).forceCas(true).ignoreNoName(true).skipUnpack(true).fallbackPushSizeLimit(1)
        .maxMetadataBytes(2).temporaryDirectory(Path.of("/tmp")).build();
    assertThat(options).isEqualTo(new FileStoreOptions(true, true, true, true, true, true, 1, 2, Path.of("/tmp")));
    assertThat(options.toBuilder().build()).isEqualTo(options);
  }

  @Test
  void limitsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> FileStoreOptions.builder().fallbackPushSizeLimit(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fallbackPushSizeLimit");
    assertThatThrownBy(() -> FileStoreOptions.builder().maxMetadataBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMetadataBytes");
  }
}
