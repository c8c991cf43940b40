package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.internal.Json;
import dev.stevedore.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 11: index batches. index.json is written at checkpoints and when the batch closes,
 * not once per manifest; the store sees every change at once; a reopened layout sees what was
 * saved. Crash safety of a batch is proven by {@link CrashTest}.
 */
class OciLayoutBatchTest {
  @TempDir Path dir;

  private Path layout() {
    return dir.resolve("layout");
  }

  private static JsonNode manifests(Path layout) throws Exception {
    return Json.tree(Files.readAllBytes(layout.resolve("index.json")), "index.json")
        .get("manifests");
  }

  private static Descriptor image(OciLayoutStore store, int i) throws Exception {
    Descriptor layer =
        Fixtures.pushBlob(
            store, "application/vnd.stevedore.test.layer", Fixtures.utf8("layer " + i));
    return Fixtures.pushImage(store, List.of(layer));
  }

  @Test
  void aBatchWritesIndexJsonWhenItClosesNotPerManifest() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    List<Descriptor> images = new ArrayList<>();
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      for (int i = 0; i < 30; i++) {
        Descriptor image = image(store, i);
        store.tag(image, "t" + i);
        images.add(image);
      }
      assertThat(manifests(layout())).as("index.json before the batch closes").isEmpty();
      assertThat(store.resolve("t29").digest())
          .as("this store sees its changes at once")
          .isEqualTo(images.get(29).digest());
    }
    assertThat(manifests(layout())).hasSize(30);
    OciLayoutStore reopened = OciLayoutStore.open(layout());
    assertThat(reopened.listTags()).hasSize(30);
    for (Descriptor image : images) {
      assertThat(reopened.exists(image)).isTrue();
    }
  }

  @Test
  void aBatchCheckpointsEveryNChanges() throws Exception {
    OciLayoutStore store =
        OciLayoutStore.open(layout(), OciLayoutOptions.defaults().withBatchCheckpoint(10));
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      for (int i = 0; i < 20; i++) {
        store.tag(image(store, i), "t" + i);
      }
      // 20 images = 20 layers + 1 config + 20 manifests + 20 tags: several checkpoints passed
      assertThat(manifests(layout()).size()).isGreaterThanOrEqualTo(10);
    }
    assertThat(manifests(layout())).hasSize(20);
  }

  @Test
  void anExplicitCheckpointWritesIndexJson() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      store.tag(image(store, 1), "one");
      batch.checkpoint();
      assertThat(OciLayoutStore.open(layout()).listTags()).containsExactly("one");
    }
  }

  @Test
  void aBatchKeepsTagsAnotherStoreSavedMeanwhile() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    OciLayoutStore other = OciLayoutStore.open(layout());
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      store.tag(image(store, 1), "mine");
      other.tag(image(other, 2), "theirs");
    }
    assertThat(OciLayoutStore.open(layout()).listTags()).containsExactly("mine", "theirs");
  }

  @Test
  void deleteInABatchWritesIndexJsonAtOnce() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor kept = image(store, 1);
    store.tag(kept, "kept");
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      Descriptor dropped = image(store, 2);
      store.tag(dropped, "dropped");
      store.delete(dropped);
      assertThat(manifests(layout())).hasSize(1);
      assertThat(OciLayoutStore.open(layout()).listTags()).containsExactly("kept");
    }
  }

  @Test
  void closingABatchTwiceIsHarmlessAndLaterChangesAreWrittenAtOnce() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    OciLayoutStore.IndexBatch batch = store.batch();
    store.tag(image(store, 1), "in-batch");
    batch.close();
    batch.close();
    store.tag(image(store, 2), "after");
    assertThat(OciLayoutStore.open(layout()).listTags()).containsExactly("after", "in-batch");
  }

  @Test
  void concurrentPushesInOneBatchAllLand() throws Exception {
    OciLayoutStore store =
        OciLayoutStore.open(layout(), OciLayoutOptions.defaults().withBatchCheckpoint(7));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  store.tag(image(store, n), "t" + n);
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(OciLayoutStore.open(layout()).listTags()).hasSize(40);
  }
}
