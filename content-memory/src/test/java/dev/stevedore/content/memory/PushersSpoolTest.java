package dev.stevedore.content.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Pushers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Pushers#pushStream} into a store that cannot stream: spooled once, in the directory given.
 */
class PushersSpoolTest {
  @TempDir Path spool;

  @Test
  void aStreamOfUnknownSizeIsSpooledThenPushedWithItsDigest() throws Exception {
    MemoryStore store = new MemoryStore();
    byte[] content = "spooled".repeat(10_000).getBytes(StandardCharsets.UTF_8);

    Descriptor desc =
        Pushers.pushStream(store, "text/plain", new ByteArrayInputStream(content), spool);

    assertThat(desc).isEqualTo(Descriptor.of("text/plain", content));
    try (InputStream in = store.fetch(desc)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(Pushers.pushStream(store, "text/plain", new ByteArrayInputStream(content), spool))
        .isEqualTo(desc);
    try (Stream<Path> left = Files.list(spool)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void theSpoolFileIsRemovedWhenReadingFails() throws Exception {
    InputStream failing =
        new InputStream() {
          private int left = 100_000;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
              throw new IOException("pipe broke");
            }
            int n = Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            left -= n;
            return n;
          }
        };
    assertThatThrownBy(() -> Pushers.pushStream(new MemoryStore(), "text/plain", failing, spool))
        .hasMessageContaining("pipe broke");
    try (Stream<Path> left = Files.list(spool)) {
      assertThat(left).isEmpty();
    }
  }
}
