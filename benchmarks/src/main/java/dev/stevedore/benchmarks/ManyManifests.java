package dev.stevedore.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Index;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.ReadOnlyTarget;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Issue 14, item 11: copies an index of N small manifests (each with its own layer, all sharing one
 * config) into a new OCI layout, and prints the wall time, process CPU and peak heap of the copy.
 *
 * <pre>
 * java -Xmx128m -cp ... dev.stevedore.benchmarks.ManyManifests 10000 /tmp/many batch
 * java -Xmx128m -cp ... dev.stevedore.benchmarks.ManyManifests 10000 /tmp/many per-change
 * java -Xmx128m -cp ... dev.stevedore.benchmarks.ManyManifests 10000 /tmp/many layout-source 4
 * java -Xmx128m -cp ... dev.stevedore.benchmarks.ManyManifests 10000 /tmp/src write-source
 * </pre>
 *
 * <ul>
 *   <li>{@code batch}: from a memory store into the layout DIR, the copy wrapped in {@link
 *       OciLayoutStore#batch()} (index.json written at checkpoints and at the end);
 *   <li>{@code per-change}: the same without a batch (index.json rewritten on every manifest);
 *   <li>{@code layout-source}: what {@code stevedore copy oci:DIR/src:latest oci:DIR/dst:latest}
 *       does: the source layout DIR/src is written first (not timed), then the timed part opens it
 *       (which reads its index.json only: the graph below is indexed on first need, and a copy by
 *       tag never needs it), opens DIR/dst and copies in a batch;
 *   <li>{@code write-source}: only writes the source layout at DIR (an index of N manifests tagged
 *       {@code latest}), for the CLI scenario of {@code benchmarks/run}.
 * </ul>
 *
 * <p>The optional last argument is the copy's concurrency (default: {@link CopyOptions}' default).
 * The figures printed: wall and process CPU of the timed part, the most heap in use after a
 * collection (what stays reachable: the bound that matters under {@code -Xmx}), the CPU of the
 * process's threads by kind (Linux only), and the load average.
 */
public final class ManyManifests {
  private static final String TAG = "latest";
  private static final String LAYER_TYPE = "application/vnd.example.layer";
  private static final String CONFIG_JSON =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

  private ManyManifests() {}

  /**
   * Runs the scenario.
   *
   * @param args the number of manifests, an empty or missing directory, the mode ({@code batch},
   *     {@code per-change}, {@code layout-source} or {@code write-source}) and optionally the
   *     copy's concurrency
   * @throws IOException if a store fails
   */
  public static void main(String[] args) throws IOException {
    List<String> modes = List.of("batch", "per-change", "layout-source", "write-source");
    if (args.length < 3 || args.length > 4 || !modes.contains(args[2])) {
      System.err.println(
          "usage: ManyManifests COUNT DIR batch|per-change|layout-source|write-source"
              + " [CONCURRENCY]");
      System.exit(2);
    }
    int count = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    String mode = args[2];
    CopyOptions options = CopyOptions.defaults();
    if (args.length == 4) {
      options =
          options.withGraphOptions(
              options.graphOptions().withConcurrency(Integer.parseInt(args[3])));
    }
    if (mode.equals("write-source")) {
      long start = System.nanoTime();
      writeSourceLayout(dir, count);
      System.out.printf(
          "wrote a layout of %d manifests at %s (tag %s) in %.2f s%n",
          count, dir, TAG, (System.nanoTime() - start) / 1e9);
      return;
    }

    MemoryStore memory = null;
    Path target = dir;
    Path sourceDir = dir.resolve("src");
    if (mode.equals("layout-source")) {
      writeSourceLayout(sourceDir, count);
      target = dir.resolve("dst");
    } else {
      memory = memorySource(count);
    }

    HeapWatch heap = HeapWatch.start();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    ReadOnlyTarget source = memory != null ? memory : OciLayoutStore.open(sourceDir);
    OciLayoutStore layout = OciLayoutStore.open(target);
    if (mode.equals("per-change")) {
      Copy.copy(source, TAG, layout, TAG, options);
    } else {
      try (OciLayoutStore.IndexBatch batch = layout.batch()) {
        Copy.copy(source, TAG, layout, TAG, options);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
    System.out.printf(
        "%d manifests into %s (%s, concurrency %d): %.2f s wall, %.2f s process CPU;"
            + " heap after GC at most %d MiB (%d collections), max %d MiB; load average %.2f%n",
        count,
        target,
        mode,
        options.graphOptions().concurrency(),
        seconds,
        cpu,
        heap.maxAfterGc() >> 20,
        heap.collections(),
        Runtime.getRuntime().maxMemory() >> 20,
        os.getSystemLoadAverage());
    printThreadCpu();
  }

  /** An index of {@code count} manifests in a memory store, tagged {@value #TAG}. */
  private static MemoryStore memorySource(int count) throws IOException {
    MemoryStore source = new MemoryStore();
    Descriptor config = push(source, MediaTypes.OCI_CONFIG, CONFIG_JSON);
    List<Descriptor> manifests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Descriptor layer = push(source, LAYER_TYPE, "layer " + i);
      byte[] json =
          new Manifest(2, MediaTypes.OCI_MANIFEST, null, config, List.of(layer), null, Map.of())
              .toJson();
      Descriptor manifest = Descriptor.of(MediaTypes.OCI_MANIFEST, json);
      source.push(manifest, new ByteArrayInputStream(json));
      manifests.add(manifest);
    }
    byte[] index = Index.of(manifests).toJson();
    Descriptor root = Descriptor.of(MediaTypes.OCI_INDEX, index);
    source.push(root, new ByteArrayInputStream(index));
    source.tag(root, TAG);
    return source;
  }

  private static Descriptor push(MemoryStore store, String mediaType, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Descriptor desc = Descriptor.of(mediaType, bytes);
    store.push(desc, new ByteArrayInputStream(bytes));
    return desc;
  }

  /**
   * Writes the same graph as an OCI layout, file by file (no fsync: it is test data), with the
   * index tagged {@value #TAG} in index.json.
   */
  static void writeSourceLayout(Path root, int count) throws IOException {
    if (Files.exists(root)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
        if (entries.iterator().hasNext()) {
          throw new IOException(root + ": not empty; give a new directory");
        }
      }
    }
    Path blobs = Files.createDirectories(root.resolve("blobs/sha256"));
    Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    String config = blob(blobs, MediaTypes.OCI_CONFIG, CONFIG_JSON);
    StringBuilder index =
        new StringBuilder(
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[");
    for (int i = 0; i < count; i++) {
      String layer = blob(blobs, LAYER_TYPE, "layer " + i);
      String manifest =
          blob(
              blobs,
              MediaTypes.OCI_MANIFEST,
              "{\"schemaVersion\":2,\"mediaType\":\""
                  + MediaTypes.OCI_MANIFEST
                  + "\",\"config\":"
                  + config
                  + ",\"layers\":["
                  + layer
                  + "]}");
      index.append(i == 0 ? "" : ",").append(manifest);
    }
    index.append("]}");
    String root1 = blob(blobs, MediaTypes.OCI_INDEX, index.toString());
    String tagged =
        root1.substring(0, root1.length() - 1)
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
            + TAG
            + "\"}}";
    Files.writeString(
        root.resolve("index.json"),
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_INDEX
            + "\",\"manifests\":["
            + tagged
            + "]}");
  }

  /** Writes a blob; returns its descriptor as JSON. */
  private static String blob(Path blobs, String mediaType, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String hex;
    try {
      hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    Files.write(blobs.resolve(hex), bytes);
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\"sha256:"
        + hex
        + "\",\"size\":"
        + bytes.length
        + "}";
  }

  /** The most heap in use right after a collection, from the collectors' notifications. */
  private static final class HeapWatch {
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();

    static HeapWatch start() {
      HeapWatch watch = new HeapWatch();
      java.util.Set<String> heapPools = new java.util.HashSet<>();
      for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == java.lang.management.MemoryType.HEAP) {
          heapPools.add(pool.getName());
        }
      }
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(
              (notification, handback) -> {
                if (!notification
                    .getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                  return;
                }
                var info =
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long used = 0;
                for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                  if (heapPools.contains(pool.getKey())) { // not metaspace nor code cache
                    used += pool.getValue().getUsed();
                  }
                }
                long after = used;
                watch.maxAfterGc.accumulateAndGet(after, Math::max);
                watch.collections.incrementAndGet();
              },
              null,
              null);
        }
      }
      return watch;
    }

    long maxAfterGc() {
      long max = maxAfterGc.get();
      if (max == 0) {
        // no collection ran: what is in use now bounds it
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      }
      return max;
    }

    long collections() {
      return collections.get();
    }
  }

  /**
   * Prints the CPU seconds of the live threads of this process by kind (the digits of their names
   * removed), from /proc/self/task; threads that ended are in the process total only.
   */
  private static void printThreadCpu() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return;
    }
    Map<String, Double> byKind = new TreeMap<>();
    double ticks = 100.0; // USER_HZ on Linux
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tasks)) {
      for (Path task : entries) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // ended meanwhile
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "N");
        String[] fields = stat.substring(close + 2).split(" ");
        double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / ticks;
        byKind.merge(name, seconds, Double::sum);
      }
    } catch (IOException e) {
      return;
    }
    StringBuilder line = new StringBuilder("CPU s of live threads (whole run):");
    byKind.entrySet().stream()
        .filter(e -> e.getValue() >= 0.05)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> line.append(String.format(" %s=%.2f", e.getKey(), e.getValue())));
    System.out.println(line);
  }
}
