package dev.stevedore.content.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 10: a killed pull leaves {@code .stevedore-*.partial} files (and unpack staging
 * directories) beside its targets; the next store writing into that directory removes them, but
 * never those of a pull still running, in another process or in this one.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FileStoreAbandonedPartialsTest {
  @TempDir Path dir;

  private Path work() {
    return dir.resolve("work");
  }

  private static Descriptor file(String name, byte[] content) {
    return Descriptor.of("application/octet-stream", content)
        .withAnnotations(Map.of(Annotations.TITLE, name));
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(work())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".stevedore-"))
          .sorted()
          .toList();
    }
  }

  private Process stuckPull(String name) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PartialWriterProcess.class.getName(),
                work().toString(),
                name));
    Process child =
        new ProcessBuilder(command).redirectError(dir.resolve("child.err").toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("writing")) {
      // wait for the child to be in the middle of its write
    }
    assertThat(line).as("the child started writing").isEqualTo("writing");
    return child;
  }

  private void pushSomething(String name) throws IOException {
    try (FileStore store = FileStore.open(work())) {
      byte[] content = name.getBytes(StandardCharsets.UTF_8);
      store.push(file(name, content), new ByteArrayInputStream(content));
    }
  }

  @Test
  void theNextPullRemovesThePartialFileOfAKilledPull() throws Exception {
    Process child = stuckPull("big.bin");
    try {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(leftovers())
        .as("what the killed pull left")
        .hasSize(1)
        .allMatch(n -> n.endsWith(".partial"));

    pushSomething("next.txt");

    assertThat(leftovers()).isEmpty();
    assertThat(work().resolve("next.txt")).hasContent("next.txt");
  }

  @Test
  void thePartialFileOfAPullStillRunningInAnotherProcessStays() throws Exception {
    Process child = stuckPull("big.bin");
    try {
      pushSomething("next.txt");
      assertThat(leftovers()).hasSize(1).allMatch(n -> n.endsWith(".partial"));
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void anAbandonedStagingDirectoryAndItsLockFileAreRemoved() throws Exception {
    Path staging =
        Files.createDirectories(work().resolve(".stevedore-0123456789abcdef.unpack/tree"));
    Files.writeString(staging.resolve("half-written"), "x");
    Files.writeString(work().resolve(".stevedore-0123456789abcdef.unpack.lock"), "");
    Files.createDirectories(work().resolve(".stevedore-fedcba9876543210.unpack"));
    Files.writeString(work().resolve(".stevedore-aaaaaaaaaaaaaaaa.partial"), "stale");

    pushSomething("next.txt");

    assertThat(leftovers()).isEmpty();
  }

  @Test
  void filesThatAreNotOursStay() throws Exception {
    Files.createDirectories(work());
    Files.writeString(work().resolve(".stevedore-notours.partial"), "user file");
    Files.writeString(work().resolve("x.partial"), "user file");
    pushSomething("next.txt");
    assertThat(work().resolve(".stevedore-notours.partial")).exists();
    assertThat(work().resolve("x.partial")).exists();
  }

  @Test
  void aPullOfThisJvmThatIsStillWritingKeepsItsPartialFile() throws Exception {
    Files.createDirectories(work());
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    byte[] content = new byte[128 * 1024];
    InputStream slow =
        new InputStream() {
          private int position;

          @Override
          public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (position == 64 * 1024) {
              writing.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
              }
            }
            if (position >= content.length) {
              return -1;
            }
            int n =
                Math.min(
                    len,
                    Math.min(content.length, position < 64 * 1024 ? 64 * 1024 : content.length)
                        - position);
            position += n;
            return n;
          }
        };
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (FileStore first = FileStore.open(work())) {
      Future<?> pull =
          pool.submit(
              () -> {
                first.push(file("slow.bin", content), slow);
                return null;
              });
      assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
      pushSomething("next.txt");
      assertThat(leftovers()).hasSize(1);
      release.countDown();
      pull.get(30, TimeUnit.SECONDS);
      assertThat(Files.size(work().resolve("slow.bin"))).isEqualTo(content.length);
      assertThat(leftovers()).isEmpty();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
