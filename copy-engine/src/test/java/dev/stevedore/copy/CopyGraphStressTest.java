package dev.stevedore.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.ContentKey;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Successors;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random graphs (manifests sharing blobs, indexes sharing manifests and indexes, some sub-graphs
 * already at the destination), copied with many workers: every node is pushed at most once, never
 * before its children, and everything ends up at the destination.
 */
class CopyGraphStressTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void copiesRandomGraphsExactlyOnceAndChildrenFirst(long seed) throws IOException {
    Random random = new Random(seed);
    MemoryStore sourceStore = new MemoryStore();
    MemoryStore destinationStore = new MemoryStore();
    Descriptor root = randomGraph(sourceStore, random);
    List<Descriptor> all = new ArrayList<>();
    collect(sourceStore, root, all, new HashSet<>());
    for (Descriptor node : all) {
      if (random.nextInt(10) == 0) {
        Copy.copyGraph(sourceStore, destinationStore, node, CopyGraphOptions.defaults());
      }
    }
    InstrumentedStore destination = new InstrumentedStore(destinationStore);
    destination.manifestSource = sourceStore;
    InstrumentedStore source = new InstrumentedStore(sourceStore);

    Copy.copyGraph(
        source,
        destination,
        root,
        CopyGraphOptions.defaults().withConcurrency(1 + random.nextInt(12)));

    assertThat(destination.violations()).isEmpty();
    for (Descriptor node : all) {
      assertThat(destinationStore.exists(node)).as(node.toString()).isTrue();
      assertThat(destination.count("push", node)).as(node.toString()).isLessThanOrEqualTo(1);
      assertThat(destination.count("exists", node)).as(node.toString()).isLessThanOrEqualTo(1);
      assertThat(source.count("fetch", node)).as(node.toString()).isLessThanOrEqualTo(1);
    }
  }

  private static Descriptor randomGraph(MemoryStore store, Random random) throws IOException {
    List<Descriptor> blobs = new ArrayList<>();
    for (int i = 0; i < 5 + random.nextInt(30); i++) {
      blobs.add(Graphs.blob(store, "blob " + i + " " + random.nextLong()));
    }
    List<Descriptor> manifests = new ArrayList<>();
    for (int i = 0; i < 2 + random.nextInt(15); i++) {
      List<Descriptor> layers = new ArrayList<>(pick(blobs, 1 + random.nextInt(6), random));
      Descriptor config = blobs.get(random.nextInt(blobs.size()));
      manifests.add(
          Fixtures.pushManifest(
              store, "application/vnd.test." + i, config, layers, null, Map.of()));
    }
    List<Descriptor> nodes = new ArrayList<>(manifests);
    for (int i = 0; i < 1 + random.nextInt(8); i++) {
      nodes.add(
          Fixtures.pushIndex(
              store, pick(nodes, 1 + random.nextInt(Math.min(6, nodes.size())), random)));
    }
    return Fixtures.pushIndex(store, nodes.subList(Math.max(0, nodes.size() - 4), nodes.size()));
  }

  private static List<Descriptor> pick(List<Descriptor> from, int n, Random random) {
    Set<ContentKey> seen = new HashSet<>();
    List<Descriptor> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Descriptor d = from.get(random.nextInt(from.size()));
      if (seen.add(d.key())) {
        out.add(d);
      }
    }
    return out;
  }

  private static void collect(
      MemoryStore store, Descriptor node, List<Descriptor> out, Set<ContentKey> seen)
      throws IOException {
    if (!seen.add(node.key())) {
      return;
    }
    out.add(node);
    for (Descriptor child : Successors.find(store, node, 1 << 20)) {
      collect(store, child, out, seen);
    }
  }
}
