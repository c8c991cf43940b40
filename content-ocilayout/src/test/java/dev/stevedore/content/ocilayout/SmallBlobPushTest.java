package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.Digester;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content up to {@link OciLayoutStore#SMALL_BLOB_BYTES} is verified in memory and written in one
 * call, without the ingest lock (issue 14, item 11): it must still be all-or-nothing, and survive a
 * cleaner that removes its temporary file.
 */
class SmallBlobPushTest {
  @TempDir Path dir;

  private Path layout() {
    return dir.resolve("layout");
  }

  @Test
  void smallPushesSurviveACleanerRemovingTheirTemporaryFiles() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Path ingest = layout().resolve(LayoutFiles.INGEST_DIR);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService cleaner = Executors.newSingleThreadExecutor();
    List<Descriptor> pushed = new ArrayList<>();
    try {
      Future<?> cleaning =
          cleaner.submit(
              () -> {
                while (!stop.get()) {
                  Ingestion.removeAbandoned(ingest); // takes every unlocked temporary file
                }
              });
      try (OciLayoutStore.IndexBatch batch = store.batch()) {
        for (int i = 0; i < 400; i++) {
          pushed.add(Fixtures.pushBlob(store, "application/octet-stream", Fixtures.utf8("b" + i)));
        }
      }
      stop.set(true);
      cleaning.get();
    } finally {
      stop.set(true);
      cleaner.shutdownNow();
    }
    OciLayoutStore reopened = OciLayoutStore.open(layout());
    for (Descriptor desc : pushed) {
      assertThat(reopened.exists(desc)).as("present: " + desc).isTrue();
      Path blob = LayoutFiles.blobPath(layout(), desc.digest());
      Digester digester = Digester.sha256();
      byte[] bytes = Files.readAllBytes(blob);
      digester.update(bytes, 0, bytes.length);
      assertThat(digester.digest()).isEqualTo(desc.digest());
    }
    try (Stream<Path> left = Files.list(ingest)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void aSmallPushRecreatesAMissingIngestDirectory() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Fixtures.pushBlob(store, "application/octet-stream", Fixtures.utf8("first"));
    Path ingest = layout().resolve(LayoutFiles.INGEST_DIR);
    if (Files.exists(ingest)) {
      Files.delete(ingest);
    }
    Descriptor second = Fixtures.pushBlob(store, "application/octet-stream", Fixtures.utf8("x"));
    assertThat(store.exists(second)).isTrue();
  }

  @Test
  void smallContentThatDiffersFromItsDescriptorLeavesNothing() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] content = Fixtures.utf8("the content");
    Descriptor desc = Descriptor.of("application/octet-stream", content);
    byte[] other = Fixtures.utf8("the contenT");
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(other)))
        .isInstanceOf(DigestMismatchException.class);
    byte[] shorter = Fixtures.utf8("the conten");
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(shorter)))
        .isInstanceOf(DigestMismatchException.class);
    byte[] longer = Fixtures.utf8("the content!");
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(longer)))
        .isInstanceOf(SizeLimitExceededException.class);
    assertThat(store.exists(desc)).isFalse();
    Path ingest = layout().resolve(LayoutFiles.INGEST_DIR);
    if (Files.exists(ingest)) {
      try (Stream<Path> left = Files.list(ingest)) {
        assertThat(left.toList()).isEmpty();
      }
    }
  }

  @Test
  void concurrentCheckpointsOfOneBatchWriteEveryChange() throws Exception {
    OciLayoutStore store =
        OciLayoutStore.open(layout(), OciLayoutOptions.defaults().withBatchCheckpoint(5));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  Descriptor layer =
                      Fixtures.pushBlob(
                          store, "application/vnd.stevedore.test.layer", Fixtures.utf8("l" + n));
                  store.tag(Fixtures.pushImage(store, List.of(layer)), "t" + n);
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(OciLayoutStore.open(layout()).listTags()).hasSize(120);
  }
}
