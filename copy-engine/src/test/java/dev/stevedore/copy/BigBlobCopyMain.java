package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.Fixtures;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies an image with a generated multi-GiB layer into a discarding store and prints figures; run
 * in a JVM with a small heap by {@link StreamingCopyTest}. Arguments: layer size in bytes.
 */
public final class BigBlobCopyMain {
  private BigBlobCopyMain() {}

  /**
   * Runs the copy.
   *
   * @param args the layer size in bytes
   * @throws Exception on failure (exit status 1)
   */
  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[0]);
    long seed = 42;
    long t0 = System.nanoTime();
    Descriptor layer = GeneratedBlobStore.describe(MediaTypes.OCI_LAYER, size, seed);
    long t1 = System.nanoTime();
    MemoryStore metadata = new MemoryStore();
    Descriptor image = Fixtures.pushImage(metadata, List.of(layer));
    GeneratedBlobStore source = new GeneratedBlobStore(metadata, layer, seed);
    DiscardingStore destination = new DiscardingStore();
    AtomicLong transferred = new AtomicLong();
    AtomicLong peakHeapUsed = new AtomicLong();
    Runtime runtime = Runtime.getRuntime();

    Copy.copyGraph(
        source,
        destination,
        image,
        CopyGraphOptions.defaults()
            .withListener(
                new CopyListener() {
                  @Override
                  public void bytesTransferred(Descriptor node, long bytes) {
                    if (node.key().equals(layer.key())) {
                      transferred.set(bytes);
                      peakHeapUsed.accumulateAndGet(
                          runtime.totalMemory() - runtime.freeMemory(), Math::max);
                    }
                  }
                }));
    long t2 = System.nanoTime();

    if (!destination.exists(image) || !destination.exists(layer) || transferred.get() != size) {
      throw new AssertionError("copy incomplete: transferred " + transferred.get() + " of " + size);
    }
    long peakHeap = peakHeapUsed.get();
    double copySeconds = (t2 - t1) / 1e9;
    System.out.printf(
        "OK layer=%d bytes digest=%s describe=%.1fs copy=%.1fs (%.0f MiB/s) maxHeap=%d MiB"
            + " heapUsedDuringTransfer<=%d MiB%n",
        size,
        layer.digest(),
        (t1 - t0) / 1e9,
        copySeconds,
        size / copySeconds / (1 << 20),
        Runtime.getRuntime().maxMemory() >> 20,
        peakHeap >> 20);
  }
}
