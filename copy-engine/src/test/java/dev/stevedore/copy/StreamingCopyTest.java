package dev.stevedore.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Copies a 3 GiB generated layer between two stores in a forked JVM limited to a 96 MiB heap:
 * memory use is bounded by the metadata cache, not by blob size.
 */
class StreamingCopyTest {
  private static final long LAYER_SIZE = 3L << 30;

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void streamsAMultiGibibyteBlobThroughASmallHeap() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File output = File.createTempFile("stevedore-streaming", ".log");
    output.deleteOnExit();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx96m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    BigBlobCopyMain.class.getName(),
                    Long.toString(LAYER_SIZE)))
            .redirectErrorStream(true)
            .redirectOutput(output)
            .start();
    boolean exited = process.waitFor(140, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String log = Files.readString(output.toPath(), StandardCharsets.UTF_8);
    System.out.println(log);

    assertThat(exited).as("forked copy finished in time").isTrue();
    assertThat(process.exitValue()).as(log).isZero();
    assertThat(log).contains("OK layer=" + LAYER_SIZE);
  }
}
