package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;

/**
 * A harness, not a test: the engine's own cost per node, copying an index of 100 manifests of 100
 * small layers each (10,102 nodes with the shared config and the index) between two memory stores,
 * where store calls cost next to nothing. Prints the median of 5 runs per concurrency.
 */
public final class OverheadBenchmark {
  private OverheadBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args unused
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    MemoryStore source = new MemoryStore();
    List<Descriptor> manifests = new ArrayList<>();
    for (int m = 0; m < 100; m++) {
      List<Descriptor> layers = new ArrayList<>();
      for (int l = 0; l < 100; l++) {
        layers.add(Graphs.blob(source, "manifest " + m + " layer " + l));
      }
      manifests.add(Fixtures.pushImage(source, layers));
    }
    Descriptor index = Fixtures.pushIndex(source, manifests);
    int nodes = 100 * 100 + 100 + 1 + 1;
    for (int concurrency : new int[] {1, 5, 16}) {
      long[] times = new long[5];
      for (int run = 0; run < times.length; run++) {
        MemoryStore destination = new MemoryStore();
        long start = System.nanoTime();
        Copy.copyGraph(
            source, destination, index, CopyGraphOptions.defaults().withConcurrency(concurrency));
        times[run] = System.nanoTime() - start;
      }
      java.util.Arrays.sort(times);
      System.out.printf(
          "concurrency %2d: %d nodes in %.0f ms median, %.1f µs per node%n",
          concurrency, nodes, times[2] / 1e6, times[2] / 1e3 / nodes);
    }
  }
}
