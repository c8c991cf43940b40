package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Digester;
import dev.stevedore.content.NotFoundException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs write a layout and are killed with SIGKILL at known points; the layout must still open
 * and hold either the old or the new state: never a partial blob, never a truncated index.json, no
 * temporary file once reopened. Also: two processes tagging one layout at once lose no tag.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrashTest {
  @TempDir Path dir;

  private Process start(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LayoutWriterProcess.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectError(dir.resolve("child-" + System.nanoTime() + ".err").toFile())
        .start();
  }

  /** Reads the child's lines until one equals {@code line}. */
  private static void awaitLine(BufferedReader out, Process child, String line) throws IOException {
    String read;
    while ((read = out.readLine()) != null) {
      if (read.equals(line)) {
        return;
      }
    }
    throw new AssertionError(
        "child ended (exit " + exitCode(child) + ") before printing \"" + line + "\"");
  }

  private static String exitCode(Process child) {
    try {
      return child.waitFor(10, TimeUnit.SECONDS)
          ? String.valueOf(child.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static BufferedReader lines(Process child) {
    return new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void kill(Process child) throws InterruptedException {
    child.destroyForcibly(); // SIGKILL on Linux and macOS
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child died").isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
  }

  @Test
  void aProcessKilledWhilePushingALargeBlobLeavesTheLastTaggedState() throws Exception {
    Path layout = dir.resolve("layout");
    Process child = start("push-and-tag", layout.toString(), "48");
    try (BufferedReader out = lines(child)) {
      awaitLine(out, child, "tagged 0");
      awaitLine(out, child, "pushing 1");
      kill(child);
    } finally {
      child.destroyForcibly();
    }

    OciLayoutStore store = assertConsistent(layout);
    assertThat(store.listTags()).contains("latest", "round-0").doesNotContain("round-2");
    // the child tags "latest" before "round-N": with round-1 tagged, latest must be round 1;
    // without,
    // latest is round 0, or round 1's manifest if the kill fell between the two tags (its whole
    // graph was checked by assertConsistent either way)
    Digest round1 = resolveOrNull(store, "round-1");
    if (round1 != null) {
      assertThat(store.resolve("latest").digest()).isEqualTo(round1);
    }
  }

  @Test
  void processesKilledWhileTaggingLeaveAValidIndex() throws Exception {
    Path layout = dir.resolve("layout");
    for (int attempt = 0; attempt < 3; attempt++) {
      Process child = start("tag-storm", layout.toString());
      try (BufferedReader out = lines(child)) {
        awaitLine(out, child, "tagged 20");
        kill(child);
      } finally {
        child.destroyForcibly();
      }
      OciLayoutStore store = assertConsistent(layout);
      assertThat(store.listTags()).contains("latest", "tag-20");
    }
  }

  @Test
  void aProcessKilledInABatchLeavesTheLastCheckpoint() throws Exception {
    Path layout = dir.resolve("layout");
    Process child = start("batch", layout.toString());
    try (BufferedReader out = lines(child)) {
      awaitLine(out, child, "checkpoint 2");
      awaitLine(out, child, "pushed 25");
      kill(child);
    } finally {
      child.destroyForcibly();
    }
    OciLayoutStore store = assertConsistent(layout);
    // everything up to the last checkpoint is there; what came after it may be lost
    assertThat(store.listTags()).contains("image-0", "image-19");
  }

  @Test
  void aProcessKilledWhileManyThreadsPushSmallBlobsInABatchLeavesAConsistentLayout()
      throws Exception {
    // Small blobs are written in one call without the ingest lock, while another store of the
    // child keeps removing what it takes for abandoned temporary files; flushing is deferred to
    // the batch's checkpoints.
    Path layout = dir.resolve("layout");
    Process child = start("small-storm", layout.toString());
    try (BufferedReader out = lines(child)) {
      awaitLine(out, child, "pushed 150");
      kill(child);
    } finally {
      child.destroyForcibly();
    }
    OciLayoutStore store = assertConsistent(layout);
    // checkpoints every 30 changes (3 to 4 per image): the first images were saved long before
    assertThat(store.listTags()).contains("storm-0", "storm-1");
  }

  @Test
  void twoProcessesTaggingOneLayoutLoseNoTag() throws Exception {
    Path layout = dir.resolve("layout");
    OciLayoutStore.open(layout);
    Process first = start("tag", layout.toString(), "first", "40");
    Process second = start("tag", layout.toString(), "second", "40");
    try (BufferedReader out1 = lines(first);
        BufferedReader out2 = lines(second)) {
      awaitLine(out1, first, "done");
      awaitLine(out2, second, "done");
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
    }
    OciLayoutStore store = assertConsistent(layout);
    assertThat(store.listTags())
        .hasSize(80)
        .contains("first-0", "first-39", "second-0", "second-39");
  }

  private static @Nullable Digest resolveOrNull(OciLayoutStore store, String tag)
      throws IOException {
    try {
      return store.resolve(tag).digest();
    } catch (NotFoundException e) {
      return null;
    }
  }

  /**
   * Opens the layout and checks it: every blob file hashes to its name, every index.json entry's
   * graph is complete and verifies, no temporary file is left.
   */
  private static OciLayoutStore assertConsistent(Path layout) throws IOException {
    OciLayoutStore store = OciLayoutStore.open(layout);
    try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
      for (Path blob : files.toList()) {
        assertThat(sha256(blob).encoded())
            .as("content of " + blob)
            .isEqualTo(blob.getFileName().toString());
      }
    }
    Map<Digest, Descriptor> reachable = new LinkedHashMap<>();
    Map<Digest, Descriptor> missing = new LinkedHashMap<>();
    GraphWalker.reachable(store, 1 << 20, store.indexEntries(), reachable, missing);
    assertThat(missing).as("manifests index.json names but the layout lacks").isEmpty();
    for (Descriptor node : reachable.values()) {
      assertThat(store.exists(node)).as("present: " + node).isTrue();
    }
    Path ingest = layout.resolve("ingest");
    if (Files.exists(ingest)) {
      try (Stream<Path> files = Files.list(ingest)) {
        assertThat(files.toList()).as("temporary files left in ingest/").isEmpty();
      }
    }
    try (Stream<Path> files = Files.list(layout)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("index.json temporaries")
          .noneMatch(name -> name.startsWith("index.json_"));
    }
    return store;
  }

  private static Digest sha256(Path file) throws IOException {
    Digester digester = Digester.sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digester.update(buffer, 0, n);
      }
    }
    return digester.digest();
  }
}
