package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Digest;
import dev.stevedore.content.InvalidReferenceException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayoutFilesTest {
  private static final Path ROOT = Path.of("/layout");

  @Test
  void aBlobPathIsBlobsAlgorithmEncoded() {
    Digest digest = Digest.sha256(new byte[0]);
    assertThat(LayoutFiles.blobPath(ROOT, digest))
        .isEqualTo(Path.of("/layout/blobs/sha256/" + digest.encoded()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha256:../../../../etc/passwd",
        "sha256:abc",
        "sha256:" + "A0",
        "md5:00",
        "sha256:/0000000000000000000000000000000000000000000000000000000000000000"
      })
  void aDigestThatCouldNameAnotherPathCannotExist(String value) {
    assertThat(Digest.tryParse(value)).isEmpty();
  }

  @Test
  void temporaryFileNamesAreRecognizedAsOrasGoWritesThem() {
    assertThat(LayoutFiles.isTempFileOf("index.json_" + LayoutFiles.randomSuffix(), "index.json"))
        .isTrue();
    assertThat(LayoutFiles.isTempFileOf("index.json_backup", "index.json")).isFalse();
    assertThat(LayoutFiles.isTempFileOf("index.json", "index.json")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"v1", "latest", "1.0.0-rc.1", "_private", "example.com/app:v1", "a/b/c", "x@y+z"})
  void theseNamesCanBeTags(String name) throws Exception {
    RefNames.check(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "bad tag", "-leading", "trailing/", "/abs", "a//b", "../up", "tab\there"})
  void theseNamesCannotBeTags(String name) {
    assertThatThrownBy(() -> RefNames.check(name)).isInstanceOf(InvalidReferenceException.class);
  }
}
