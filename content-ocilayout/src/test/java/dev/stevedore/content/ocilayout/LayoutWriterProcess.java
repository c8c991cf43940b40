package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digester;
import dev.stevedore.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link CrashTest}: writes to a layout and says on stdout how far it got, so
 * the test can kill it at a known point.
 *
 * <ul>
 *   <li>{@code push-and-tag <dir> <blobMiB>}: forever, push a large blob, a manifest over it, and
 *       tag it "latest" and "round-N"; prints "pushing N" a quarter into each blob and "tagged N"
 *       after;
 *   <li>{@code tag-storm <dir>}: push two images, then forever move "latest" between them and add
 *       tags; prints "tagged N" every ten rounds;
 *   <li>{@code tag <dir> <prefix> <count>}: push one image and tag it prefix-0 ...
 *       prefix-(count-1); prints "done";
 *   <li>{@code batch <dir>}: in one batch, forever push an image and tag it image-N, printing
 *       "pushed N"; a checkpoint after every ten images prints "checkpoint K".
 *   <li>{@code small-storm <dir>}: in one batch with a checkpoint every 30 changes, four threads
 *       forever push small images (written in one call, without an ingest lock) and tag them
 *       storm-N, while a fifth keeps opening the layout again (each open removes the temporary
 *       files it takes for abandoned, which the small writes must survive); prints "pushed N".
 * </ul>
 */
public final class LayoutWriterProcess {
  private LayoutWriterProcess() {}

  /**
   * Runs a mode.
   *
   * @param args the mode and its arguments
   * @throws Exception on any failure (exit code 1)
   */
  public static void main(String[] args) throws Exception {
    OciLayoutStore store = OciLayoutStore.open(Path.of(args[1]));
    switch (args[0]) {
      case "push-and-tag" -> pushAndTag(store, Long.parseLong(args[2]) * 1024 * 1024);
      case "tag-storm" -> tagStorm(store);
      case "tag" -> tag(store, args[2], Integer.parseInt(args[3]));
      case "batch" -> batch(store);
      case "small-storm" -> smallStorm(Path.of(args[1]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void pushAndTag(OciLayoutStore store, long size) throws IOException {
    for (int round = 0; ; round++) {
      Descriptor blob =
          Descriptor.of("application/vnd.stevedore.test.layer", digestOf(round, size), size);
      int current = round;
      store.push(blob, new Generated(round, size, size / 4, () -> say("pushing " + current)));
      Descriptor manifest = Fixtures.pushImage(store, List.of(blob));
      store.tag(manifest, "latest");
      store.tag(manifest, "round-" + round);
      say("tagged " + round);
    }
  }

  private static void tagStorm(OciLayoutStore store) throws IOException {
    Descriptor a = TestImages.pushImage(store, "storm-a");
    Descriptor b = TestImages.pushImage(store, "storm-b");
    for (int i = 0; ; i++) {
      store.tag(i % 2 == 0 ? a : b, "latest");
      store.tag(i % 2 == 0 ? b : a, "tag-" + i);
      if (i % 10 == 0) {
        say("tagged " + i);
      }
    }
  }

  private static void tag(OciLayoutStore store, String prefix, int count) throws IOException {
    Descriptor image = TestImages.pushImage(store, prefix);
    for (int i = 0; i < count; i++) {
      store.tag(image, prefix + "-" + i);
    }
    say("done");
  }

  private static void batch(OciLayoutStore store) throws IOException {
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      for (int i = 0; ; i++) {
        Descriptor image = TestImages.pushImage(store, "batch-" + i);
        store.tag(image, "image-" + i);
        say("pushed " + i);
        if (i % 10 == 9) {
          batch.checkpoint();
          say("checkpoint " + (i / 10 + 1));
        }
      }
    }
  }

  private static void smallStorm(Path dir) throws Exception {
    OciLayoutStore store =
        OciLayoutStore.open(dir, OciLayoutOptions.defaults().withBatchCheckpoint(30));
    java.util.concurrent.atomic.AtomicInteger counter =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(5);
    try (OciLayoutStore.IndexBatch batch = store.batch()) {
      java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
      futures.add(
          pool.submit(
              () -> {
                while (true) {
                  OciLayoutStore.open(dir);
                }
              }));
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  while (true) {
                    int i = counter.getAndIncrement();
                    Descriptor image = TestImages.pushImage(store, "storm-" + i);
                    store.tag(image, "storm-" + i);
                    say("pushed " + i);
                  }
                }));
      }
      for (java.util.concurrent.Future<?> future : futures) {
        future.get(); // runs until killed; a failure ends the child with its stack trace
      }
    }
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static dev.stevedore.content.Digest digestOf(long seed, long size) throws IOException {
    Digester digester = Digester.sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = new Generated(seed, size, -1, () -> {})) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digester.update(buffer, 0, n);
      }
    }
    return digester.digest();
  }

  /**
   * Deterministic pseudo-random bytes, generated as they are read; runs a callback once at a mark.
   */
  static final class Generated extends InputStream {
    private final long size;
    private final long mark;
    private final Runnable atMark;
    private long state;
    private long position;

    Generated(long seed, long size, long mark, Runnable atMark) {
      this.state = seed * 0x9E3779B97F4A7C15L + 1;
      this.size = size;
      this.mark = mark;
      this.atMark = atMark;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        b[off + i] = (byte) state;
      }
      long before = position;
      position += n;
      if (mark >= 0 && before < mark && position >= mark) {
        atMark.run();
      }
      return n;
    }
  }
}
