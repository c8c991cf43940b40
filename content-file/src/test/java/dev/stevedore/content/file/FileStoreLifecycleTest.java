package dev.stevedore.content.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FileStoreLifecycleTest {
  @TempDir Path dir;

  @Test
  void closeDeletesThePackedDirectoriesAndTheTemporaryDirectory() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.writeString(tree.resolve("f"), "f");
    FileStore store = FileStore.open(dir.resolve("work"));
    store.add("tree", tree);
    Path temp = store.temporaryDirectory();
    assertThat(temp).isNotNull();
    assertThat(temp).isNotEmptyDirectory();
    store.close();
    assertThat(temp).doesNotExist();
  }

  @Test
  void closeDeletesReceivedDirectoryBlobsButKeepsTheUnpackedTree() throws Exception {
    FileStore store = FileStore.open(dir.resolve("work"));
    TestArchives.Blob blob = TestArchives.tar().dir("d").file("d/f", "f").blob("d");
    store.push(blob.descriptor(), blob.stream());
    Path temp = store.temporaryDirectory();
    assertThat(temp).isNotEmptyDirectory();
    store.close();
    assertThat(temp).doesNotExist();
    assertThat(dir.resolve("work/d/f")).hasContent("f");
  }

  @Test
  void temporaryFilesGoWhereTheOptionsSay() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.writeString(tree.resolve("f"), "f");
    Path temps = Files.createDirectories(dir.resolve("temps"));
    try (FileStore store =
        FileStore.open(
            dir.resolve("work"), FileStoreOptions.builder().temporaryDirectory(temps).build())) {
      store.add("tree", tree);
      assertThat(store.temporaryDirectory()).hasParent(temps);
    }
    assertThat(temps).isEmptyDirectory();
  }

  @Test
  void closingTwiceIsHarmless() throws Exception {
    FileStore store = FileStore.open(dir.resolve("work"));
    store.close();
    org.assertj.core.api.Assertions.assertThatCode(store::close).doesNotThrowAnyException();
  }

  @Test
  void everyOperationOnAClosedStoreIsAnIllegalState() throws Exception {
    Path file = Files.writeString(dir.resolve("f.txt"), "f");
    FileStore store = FileStore.open(dir.resolve("work"));
    Descriptor desc = store.add("f.txt", file);
    store.close();
    List<ThrowingCallable> calls =
        List.of(
            () -> store.add("g.txt", file),
            () -> store.fetch(desc),
            () -> store.exists(desc),
            () -> store.push(desc, new ByteArrayInputStream(new byte[0])),
            () -> store.resolve("v1"),
            () -> store.tag(desc, "v1"),
            () -> store.predecessors(MediaTypes.EMPTY_JSON));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void closeWaitsForARunningPushToFinish() throws Exception {
    FileStore store = FileStore.open(dir.resolve("work"));
    byte[] content = "streamed slowly".getBytes(StandardCharsets.UTF_8);
    Descriptor desc = FileStorePushTest.named("slow.txt", "streamed slowly");
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InputStream gated =
        new FilterInputStream(new ByteArrayInputStream(content)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            reading.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new InterruptedIOException();
            }
            return super.read(b, off, len);
          }
        };
    ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "pusher"));
    try {
      Future<?> push =
          pool.submit(
              () -> {
                store.push(desc, gated);
                return null;
              });
      reading.await();
      Thread closer =
          new Thread(
              () -> {
                try {
                  store.close();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              "closer");
      closer.start();
      while (closer.getState() != Thread.State.WAITING && closer.isAlive()) {
        Thread.onSpinWait();
      }
      assertThat(closer.isAlive()).as("close waits while the push runs").isTrue();
      release.countDown();
      push.get();
      closer.join();
      assertThat(dir.resolve("work/slow.txt")).hasContent("streamed slowly");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
