package dev.stevedore.content.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileStoreOptionsTest {

  @Test
  void defaultsAreThoseDocumented() {
    FileStoreOptions defaults = FileStoreOptions.defaults();
    assertThat(defaults)
        .isEqualTo(
            new FileStoreOptions(
                false,
                false,
                false,
                false,
                false,
                false,
                4L * 1024 * 1024,
                4L * 1024 * 1024,
                null,
                16L * 1024 * 1024 * 1024,
                1000));
  }

  @Test
  void builderSetsEverySwitch() {
    FileStoreOptions options =
        FileStoreOptions.builder()
            .tarReproducible(true)
            .allowPathTraversalOnWrite(true)
            .disableOverwrite(true)
            .forceCas(true)
            .ignoreNoName(true)
            .skipUnpack(true)
            .fallbackPushSizeLimit(1)
            .maxMetadataBytes(2)
            .temporaryDirectory(Path.of("/tmp"))
            .maxUnpackedBytes(3)
            .maxUnpackRatio(4)
            .build();
    assertThat(options)
        .isEqualTo(
            new FileStoreOptions(true, true, true, true, true, true, 1, 2, Path.of("/tmp"), 3, 4));
    assertThat(options.toBuilder().build()).isEqualTo(options);
  }

  @Test
  void limitsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> FileStoreOptions.builder().fallbackPushSizeLimit(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fallbackPushSizeLimit");
    assertThatThrownBy(() -> FileStoreOptions.builder().maxMetadataBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMetadataBytes");
    assertThatThrownBy(() -> FileStoreOptions.builder().maxUnpackedBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxUnpackedBytes");
    assertThatThrownBy(() -> FileStoreOptions.builder().maxUnpackRatio(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxUnpackRatio");
  }

  @Test
  void theUnpackLimitIsTheSmallerOfTheAbsoluteAndTheRatioLimit() {
    FileStoreOptions defaults = FileStoreOptions.defaults();
    assertThat(defaults.unpackLimit(1024)).isEqualTo(1024L * 1000);
    assertThat(defaults.unpackLimit(1L << 40)).isEqualTo(16L * 1024 * 1024 * 1024);
    assertThat(defaults.unpackLimit(Long.MAX_VALUE)).isEqualTo(16L * 1024 * 1024 * 1024);
  }
}
