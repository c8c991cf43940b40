package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs bigger than the flush-behind step ({@link Ingestion#FLUSH_BEHIND_BYTES}) are flushed in the
 * background while they stream in: a good one is stored whole, a bad one leaves nothing.
 */
class FlushBehindTest {
  private static final long SIZE = Ingestion.FLUSH_BEHIND_BYTES * 3 + 12345;

  @TempDir Path dir;

  /** SIZE bytes of a repeating pattern, the last one changed when {@code corrupt}. */
  private static InputStream pattern(boolean corrupt) {
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (position >= SIZE) {
          return -1;
        }
        int n = (int) Math.min(len, SIZE - position);
        for (int i = 0; i < n; i++) {
          long at = position + i;
          b[off + i] = (byte) (corrupt && at == SIZE - 1 ? 0 : (at % 251) + 1);
        }
        position += n;
        return n;
      }
    };
  }

  private static Digest digestOfPattern() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = pattern(false)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
        sha.update(buffer, 0, n);
      }
    }
    return Digest.parse("sha256:" + java.util.HexFormat.of().formatHex(sha.digest()));
  }

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
    Descriptor desc = Descriptor.of(MediaTypes.OCTET_STREAM, digestOfPattern(), SIZE);
    store.push(desc, pattern(false));

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
    Descriptor desc = Descriptor.of(MediaTypes.OCTET_STREAM, digestOfPattern(), SIZE);

    assertThatThrownBy(() -> store.push(desc, pattern(true)))
        .isInstanceOf(DigestMismatchException.class);

    assertThat(store.exists(desc)).isFalse();
    assertThat(countFiles(dir.resolve("blobs/sha256"))).isZero();
    assertThat(countFiles(dir.resolve("ingest"))).isZero();
    // the layout still takes the right content afterwards
    store.push(desc, pattern(false));
    assertThat(store.exists(desc)).isTrue();
  }
}
