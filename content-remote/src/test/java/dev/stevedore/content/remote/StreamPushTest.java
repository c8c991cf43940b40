package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Pushers;
import dev.stevedore.testing.GeneratedContent;
import dev.stevedore.testing.RegistryExtension;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming push of unknown size and digest (oras-java #508) into a real docker-registry: a chunked
 * upload session whose final PUT carries the digest computed on the fly.
 */
class StreamPushTest {
  private static final long SIZE = 300L << 20;

  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @TempDir Path dir;

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aThreeHundredMebibyteStreamIsPushedUnderASmallHeapWithoutATempFile() throws Exception {
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File output = dir.resolve("child.log").toFile();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx96m",
                    "-Djava.io.tmpdir=" + tmp,
                    "-cp",
                    System.getProperty("java.class.path"),
                    StreamPushMain.class.getName(),
                    REGISTRY.registry().hostPort(),
                    Long.toString(SIZE),
                    "7"))
            .redirectErrorStream(true)
            .redirectOutput(output)
            .start();
    boolean exited = process.waitFor(220, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String log = Files.readString(output.toPath(), StandardCharsets.UTF_8);

    assertThat(exited).as("the child finished in time").isTrue();
    assertThat(process.exitValue()).as(log).isZero();
    Descriptor expected = GeneratedContent.describe(MediaTypes.OCTET_STREAM, SIZE, 7);
    assertThat(log).contains("OK digest=" + expected.digest() + " size=" + SIZE);
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).as("nothing spooled to the temporary directory").isEmpty();
    }
    try (Repository repo =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("stream/push")
            .plainHttp()
            .build()) {
      assertThat(repo.exists(expected)).isTrue();
    }
  }

  @Test
  @Timeout(60)
  void smallAndEmptyStreamsArePushedWithTheirDigest() throws Exception {
    try (Repository repo =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("stream/small")
            .plainHttp()
            .chunkedUploads(0, 1024)
            .build()) {
      for (byte[] content :
          new byte[][] {
            new byte[0], "hello".getBytes(StandardCharsets.UTF_8), new byte[1024], new byte[2500]
          }) {
        Descriptor desc =
            Pushers.pushStream(
                repo, "application/vnd.example.data", new ByteArrayInputStream(content));
        assertThat(desc).isEqualTo(Descriptor.of("application/vnd.example.data", content));
        try (InputStream in = repo.fetch(desc)) {
          assertThat(in.readAllBytes()).isEqualTo(content);
        }
      }
    }
  }
}
