package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.ForwardingStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A harness, not a test: copies a two-platform image between two simulated registries (a fixed
 * latency per request, a bandwidth per connection and a shared link) at several concurrency limits
 * and prints the median time of each. Used to choose {@link CopyGraphOptions#DEFAULT_CONCURRENCY}.
 *
 * <p>Arguments: latency in ms (default 20), per-connection MiB/s (default 8), link MiB/s (default
 * 40).
 */
public final class ConcurrencyBenchmark {
  private ConcurrencyBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args latency ms, per-connection MiB/s, link MiB/s
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    long latencyMs = args.length > 0 ? Long.parseLong(args[0]) : 20;
    double connectionMiBs = args.length > 1 ? Double.parseDouble(args[1]) : 8;
    double linkMiBs = args.length > 2 ? Double.parseDouble(args[2]) : 40;
    MemoryStore origin = new MemoryStore();
    Descriptor index = image(origin);
    System.out.printf(
        "latency %d ms, connection %.0f MiB/s, link %.0f MiB/s%n",
        latencyMs, connectionMiBs, linkMiBs);
    for (int concurrency : new int[] {1, 2, 3, 4, 5, 6, 8, 12, 16}) {
      long[] times = new long[5];
      for (int run = 0; run < times.length; run++) {
        Link link = new Link(linkMiBs);
        Registry source = new Registry(origin, latencyMs, connectionMiBs, link);
        Registry destination = new Registry(new MemoryStore(), latencyMs, Double.MAX_VALUE, null);
        long start = System.nanoTime();
        Copy.copyGraph(
            source, destination, index, CopyGraphOptions.defaults().withConcurrency(concurrency));
        times[run] = (System.nanoTime() - start) / 1_000_000;
      }
      Arrays.sort(times);
      System.out.printf(
          "concurrency %2d: median %5d ms (min %5d, max %5d)%n",
          concurrency, times[2], times[0], times[4]);
    }
  }

  private static Descriptor image(MemoryStore store) throws IOException {
    double[] layerMiB = {8, 4, 2, 1, 0.5, 0.25};
    Descriptor base =
        Fixtures.pushBlob(store, MediaTypes.OCI_LAYER_GZIP, Fixtures.randomBytes(8 << 20, 1));
    List<Descriptor> manifests = new ArrayList<>();
    int seed = 2;
    for (Platform platform :
        List.of(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"))) {
      Descriptor config = Fixtures.pushConfig(store, platform);
      List<Descriptor> layers = new ArrayList<>(List.of(base));
      for (double mib : layerMiB) {
        layers.add(
            Fixtures.pushBlob(
                store,
                MediaTypes.OCI_LAYER_GZIP,
                Fixtures.randomBytes((int) (mib * (1 << 20)), seed++)));
      }
      manifests.add(
          Fixtures.pushManifest(store, null, config, layers, null, Map.of())
              .withPlatform(platform));
    }
    return Fixtures.pushIndex(store, manifests);
  }

  /** A shared link: bytes pass one after another at a fixed rate. */
  static final class Link {
    private final double bytesPerNano;
    private long nextFree = System.nanoTime();

    Link(double mibPerSecond) {
      this.bytesPerNano = mibPerSecond * (1 << 20) / 1e9;
    }

    synchronized long reserve(int bytes) {
      nextFree = Math.max(nextFree, System.nanoTime()) + (long) (bytes / bytesPerNano);
      return nextFree;
    }
  }

  /** A store that behaves like a distant registry. */
  static final class Registry extends ForwardingStore {
    private final long latencyMs;
    private final double connectionBytesPerNano;
    private final @Nullable Link link;

    Registry(MemoryStore store, long latencyMs, double connectionMiBs, @Nullable Link link) {
      super(store);
      this.latencyMs = latencyMs;
      this.connectionBytesPerNano = connectionMiBs * (1 << 20) / 1e9;
      this.link = link;
    }

    private void roundTrip() throws IOException {
      pause(System.nanoTime() + latencyMs * 1_000_000);
    }

    @Override
    public boolean exists(Descriptor target) throws IOException {
      roundTrip();
      return super.exists(target);
    }

    @Override
    public InputStream fetch(Descriptor target) throws IOException {
      roundTrip();
      InputStream in = super.fetch(target);
      Link shared = link;
      if (shared == null) {
        return in;
      }
      long start = System.nanoTime();
      return new FilterInputStream(in) {
        private long read;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, Math.min(len, 64 * 1024));
          if (n > 0) {
            read += n;
            long own = start + (long) (read / connectionBytesPerNano);
            pause(Math.max(own, shared.reserve(n)));
          }
          return n;
        }
      };
    }

    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
      roundTrip();
      super.push(expected, content);
    }

    private static void pause(long untilNanos) throws IOException {
      // Simulated network time, not synchronisation: parkNanos keeps sub-millisecond precision.
      long wait;
      while ((wait = untilNanos - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted");
        }
      }
    }
  }
}
