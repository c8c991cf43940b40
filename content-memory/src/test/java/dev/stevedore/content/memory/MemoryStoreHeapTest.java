package dev.stevedore.content.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.testing.GeneratedContent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A memory store holds a blob in one array of its size, and reading it in takes less than twice
 * that (here 128 + 160 MiB): a 160 MiB blob fits in a heap whose old generation holds 384 MiB. Read
 * through a growing byte stream and copied out at the end, as before, it needed 256 + 128 MiB while
 * the stream grew and 256 + 160 MiB for the copy: an {@link OutOfMemoryError}. Run in a child JVM,
 * so the heap is the test's to set.
 */
class MemoryStoreHeapTest {
  private static final int SIZE = 160 << 20;

  @Test
  @Timeout(120)
  void aBlobIsReadIntoOneArrayOfItsSizeWithoutACopyOfItAtTheEnd() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx400m",
                    "-Xmn16m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    BigBlob.class.getName()))
            .redirectErrorStream(true)
            .start();
    String output;
    try (InputStream out = child.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("stored " + SIZE + " bytes");
  }

  /** Pushes a {@link #SIZE}-byte blob into a memory store and reads it back; the child's main. */
  static final class BigBlob {
    private BigBlob() {}

    public static void main(String[] args) throws Exception {
      Descriptor desc = GeneratedContent.describe("application/octet-stream", SIZE, 7);
      MemoryStore store = new MemoryStore();
      try (InputStream in = GeneratedContent.stream(SIZE, 7)) {
        store.push(desc, in);
      }
      long read;
      try (InputStream back = store.fetch(desc)) {
        read = back.transferTo(java.io.OutputStream.nullOutputStream());
      }
      System.out.println("stored " + read + " bytes");
    }
  }
}
