package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.internal.DurableWrite;
import dev.stevedore.testing.GeneratedContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs bigger than the flush-behind step ({@link DurableWrite#FLUSH_BEHIND_BYTES}) are flushed in
 * the background while they stream in: a good one is stored whole, a bad one leaves nothing.
 */
class FlushBehindTest {
  private static final long SIZE = DurableWrite.FLUSH_BEHIND_BYTES * 3 + 12345;

  @TempDir Path dir;

  private static long countFiles(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.count();
    }
  }

  @Test
  void aBigBlobFlushedBehindIsStoredWhole() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir);
    Descriptor desc = GeneratedContent.describe(MediaTypes.OCTET_STREAM, SIZE, 1);
    store.push(desc, GeneratedContent.stream(SIZE, 1));

    Path blob = dir.resolve("blobs/sha256/" + desc.digest().encoded());
    assertThat(Files.size(blob)).isEqualTo(SIZE);
    assertThat(store.exists(desc)).isTrue();
    try (InputStream in = store.fetch(desc)) {
      assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(SIZE);
    }
    assertThat(countFiles(dir.resolve("ingest"))).isZero();
  }

  @Test
  void aBigBlobThatDoesNotMatchLeavesNothingAfterItsBackgroundFlushes() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir);
    Descriptor desc = GeneratedContent.describe(MediaTypes.OCTET_STREAM, SIZE, 1);

    assertThatThrownBy(() -> store.push(desc, GeneratedContent.stream(SIZE, 2)))
        .isInstanceOf(DigestMismatchException.class);

    assertThat(store.exists(desc)).isFalse();
    assertThat(countFiles(dir.resolve("blobs/sha256"))).isZero();
    assertThat(countFiles(dir.resolve("ingest"))).isZero();
    // the layout still takes the right content afterwards
    store.push(desc, GeneratedContent.stream(SIZE, 1));
    assertThat(store.exists(desc)).isTrue();
  }

  @Test
  void inABatchABigBlobIsFlushedBehindTooAndABadOneLeavesNothing() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir);
    Descriptor desc = GeneratedContent.describe(MediaTypes.OCTET_STREAM, SIZE, 1);

    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      assertThatThrownBy(() -> store.push(desc, GeneratedContent.stream(SIZE, 2)))
          .isInstanceOf(DigestMismatchException.class);
      assertThat(countFiles(dir.resolve("ingest"))).isZero();
      assertThat(countFiles(dir.resolve("blobs/sha256"))).isZero();

      store.push(desc, GeneratedContent.stream(SIZE, 1));
    }

    assertThat(Files.size(dir.resolve("blobs/sha256/" + desc.digest().encoded()))).isEqualTo(SIZE);
    try (InputStream in = store.fetch(desc)) {
      assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(SIZE);
    }
    assertThat(countFiles(dir.resolve("ingest"))).isZero();
  }
}
