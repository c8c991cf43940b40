package dev.stevedore.benchmarks;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Index;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 14, item 11: copies an index of N small manifests (each with its own layer, all sharing one
 * config) from memory into a new OCI layout, and prints the wall time of the copy.
 *
 * <pre>
 * java -Xmx128m -cp ... dev.stevedore.benchmarks.ManyManifests 10000 /tmp/layout batch
 * java -Xmx128m -cp ... dev.stevedore.benchmarks.ManyManifests 10000 /tmp/layout per-change
 * </pre>
 *
 * <p>{@code batch} wraps the copy in {@link OciLayoutStore#batch()} (index.json written at
 * checkpoints and at the end); {@code per-change} is the default store, which rewrites index.json
 * on every manifest.
 */
public final class ManyManifests {
  private ManyManifests() {}

  /**
   * Runs the scenario.
   *
   * @param args the number of manifests, an empty or missing layout directory, and {@code batch} or
   *     {@code per-change}
   * @throws IOException if a store fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3 || !List.of("batch", "per-change").contains(args[2])) {
      System.err.println("usage: ManyManifests COUNT LAYOUT_DIR batch|per-change");
      System.exit(2);
    }
    int count = Integer.parseInt(args[0]);
    MemoryStore source = new MemoryStore();
    Descriptor config =
        push(
            source,
            MediaTypes.OCI_CONFIG,
            "{\"architecture\":\"amd64\",\"os\":\"linux\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    List<Descriptor> manifests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Descriptor layer = push(source, "application/vnd.example.layer", "layer " + i);
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
    source.tag(root, "all");

    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    OciLayoutStore layout = OciLayoutStore.open(Path.of(args[1]));
    if (args[2].equals("batch")) {
      try (OciLayoutStore.IndexBatch batch = layout.batch()) {
        Copy.copy(source, "all", layout, "all", CopyOptions.defaults());
      }
    } else {
      Copy.copy(source, "all", layout, "all", CopyOptions.defaults());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    System.out.printf(
        "%d manifests into %s (%s): %.2f s wall, %.2f s process CPU; heap used %d MiB of max %d MiB%n",
        count, args[1], args[2], seconds, cpu, heap.getUsed() >> 20, heap.getMax() >> 20);
  }

  private static Descriptor push(MemoryStore store, String mediaType, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Descriptor desc = Descriptor.of(mediaType, bytes);
    store.push(desc, new ByteArrayInputStream(bytes));
    return desc;
  }
}
