package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.internal.Json;
import dev.stevedore.testing.Fixtures;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a layout reads index.json only: the graph below it is walked on the first call that needs
 * it, with the same answers an eager walk gave.
 */
class OciLayoutLazyGraphTest {
  private static final String LAYER = "application/vnd.stevedore.test.layer";
  private static final int IMAGES = 60;

  @TempDir Path dir;

  /** What was pushed, and every node's predecessors as the writing store knew them. */
  private record Built(
      List<Descriptor> images,
      Descriptor index,
      Descriptor referrer,
      Map<Digest, Set<Digest>> predecessors) {}

  private Built build(Path layout) throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout);
    List<Descriptor> images = new ArrayList<>();
    List<Descriptor> nodes = new ArrayList<>();
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      for (int i = 0; i < IMAGES; i++) {
        Descriptor layer = Fixtures.pushBlob(store, LAYER, Fixtures.utf8("layer " + i));
        Descriptor image = Fixtures.pushImage(store, List.of(layer));
        store.tag(image, "t" + i);
        images.add(image);
        nodes.add(layer);
        nodes.add(image);
      }
    }
    Descriptor index = Fixtures.pushIndex(store, images.subList(0, 3));
    store.tag(index, "multi");
    Descriptor referrer =
        Fixtures.pushReferrer(
            store, images.get(0), "application/vnd.stevedore.sig", new byte[] {1});
    nodes.add(index);
    nodes.add(referrer);
    return new Built(images, index, referrer, predecessorsOf(store, nodes));
  }

  private static Map<Digest, Set<Digest>> predecessorsOf(
      OciLayoutStore store, List<Descriptor> nodes) throws Exception {
    Map<Digest, Set<Digest>> out = new LinkedHashMap<>();
    for (Descriptor node : nodes) {
      Set<Digest> digests = new HashSet<>();
      for (Descriptor predecessor : store.predecessors(node)) {
        digests.add(predecessor.digest());
      }
      out.put(node.digest(), digests);
    }
    return out;
  }

  @Test
  void openAndReadsByTagOrListedDigestReadNoManifestToIndex() throws Exception {
    Path layout = dir.resolve("layout");
    Built built = build(layout);

    OciLayoutStore reopened = OciLayoutStore.open(layout);
    Descriptor tagged = reopened.resolve("t7");
    assertThat(tagged.digest()).isEqualTo(built.images().get(7).digest());
    try (InputStream in = reopened.fetch(tagged)) {
      assertThat(in.readAllBytes()).hasSize((int) tagged.size());
    }
    assertThat(reopened.resolve(built.images().get(9).digest().toString()).digest())
        .isEqualTo(built.images().get(9).digest());
    assertThat(reopened.exists(built.index())).isTrue();
    reopened.tags(null, page -> assertThat(page).contains("t0", "multi"));
    assertThat(reopened.indexEntries()).hasSize(IMAGES + 2);
    assertThat(reopened.graphReads()).isZero();

    // the first graph query walks everything, and answers as the writing store did
    List<Descriptor> nodes = new ArrayList<>();
    for (Digest digest : built.predecessors().keySet()) {
      nodes.add(reopened.resolve(digest.toString()));
    }
    assertThat(predecessorsOf(reopened, nodes)).isEqualTo(built.predecessors());
    assertThat(reopened.graphReads()).isEqualTo(IMAGES + 2);
    assertThat(built.predecessors().get(built.images().get(0).digest()))
        .containsExactlyInAnyOrder(built.index().digest(), built.referrer().digest());
  }

  @Test
  void aDigestIndexJsonDoesNotListResolvesThroughTheWalk() throws Exception {
    Path layout = dir.resolve("layout");
    Built built = build(layout);
    // index.json lists the index only: its children are found by walking it
    Descriptor listed =
        built.index().withAnnotations(Map.of("org.opencontainers.image.ref.name", "multi"));
    String indexJson =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":["
            + new String(
                Json.mapper().writeValueAsBytes(listed), java.nio.charset.StandardCharsets.UTF_8)
            + "]}";
    Files.writeString(layout.resolve("index.json"), indexJson);

    OciLayoutStore reopened = OciLayoutStore.open(layout);
    assertThat(reopened.resolve("multi").digest()).isEqualTo(built.index().digest());
    assertThat(reopened.graphReads()).isZero();
    Descriptor child = reopened.resolve(built.images().get(1).digest().toString());
    assertThat(child.digest()).isEqualTo(built.images().get(1).digest());
    assertThat(child.mediaType()).isEqualTo(built.images().get(1).mediaType());
    assertThat(reopened.graphReads()).isEqualTo(4); // the index and its three manifests
    assertThat(reopened.predecessors(child))
        .extracting(Descriptor::digest)
        .containsExactly(built.index().digest());
  }

  @Test
  void theGraphIsWalkedWhenFirstNeededNotOnOpen() throws Exception {
    Path layout = dir.resolve("layout");
    Built built = build(layout);
    Descriptor image = built.images().get(5);
    Descriptor layer = Descriptor.of(LAYER, Fixtures.utf8("layer 5"));
    assertThat(built.predecessors().get(layer.digest())).containsExactly(image.digest());

    OciLayoutStore reopened = OciLayoutStore.open(layout);
    // the manifest goes after the open and before any graph query: a walk on open would have
    // indexed its edges; the lazy walk finds it absent, as an open after the removal would
    Files.delete(LayoutFiles.blobPath(layout, image.digest()));
    assertThat(reopened.predecessors(layer)).isEmpty();
    assertThat(OciLayoutStore.open(layout).predecessors(layer)).isEmpty();
    assertThat(reopened.predecessors(Descriptor.of(LAYER, Fixtures.utf8("layer 6"))))
        .extracting(Descriptor::digest)
        .containsExactly(built.images().get(6).digest());
  }

  @Test
  void concurrentFirstQueriesAllSeeTheWholeGraph() throws Exception {
    Path layout = dir.resolve("layout");
    Built built = build(layout);
    OciLayoutStore reopened = OciLayoutStore.open(layout);
    Descriptor first = built.images().get(0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Set<Digest>>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(
            () -> {
              Set<Digest> digests = new HashSet<>();
              for (Descriptor predecessor : reopened.predecessors(first)) {
                digests.add(predecessor.digest());
              }
              return digests;
            });
      }
      for (Future<Set<Digest>> answer : pool.invokeAll(calls)) {
        assertThat(answer.get()).isEqualTo(built.predecessors().get(first.digest()));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(reopened.graphReads()).isEqualTo(IMAGES + 2);
  }
}
