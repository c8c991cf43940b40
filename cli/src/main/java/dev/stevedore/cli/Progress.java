package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.copy.CopyListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Watches a copy: one progress bar per blob in flight (bytes, rate, ETA) when stderr is a terminal,
 * and the counts for the summary line in every case. Thread-safe: the copy engine calls it from its
 * workers.
 */
final class Progress implements CopyListener, AutoCloseable {
  private static final long MIN_BAR_BYTES = 64 * 1024;

  private final boolean bars;
  private final PrintStream stream;
  private final long started = System.nanoTime();
  private final Map<Digest, ProgressBar> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger copied = new AtomicInteger();
  private final AtomicLong copiedBytes = new AtomicLong();
  private final AtomicInteger skipped = new AtomicInteger();
  private final AtomicInteger mounted = new AtomicInteger();

  /**
   * A progress watcher.
   *
   * @param bars draw bars (only when stderr is a terminal and output is not quiet)
   * @param stream where bars go (stderr)
   */
  Progress(boolean bars, PrintStream stream) {
    this.bars = bars;
    this.stream = stream;
  }

  /** Tells whether progress bars make sense: stderr is a terminal. */
  // Java 17 target: console() is null without a terminal, and Console.isTerminal() (JDK 22) is not
  // available.
  @SuppressWarnings("SystemConsoleNull")
  static boolean terminal() {
    return System.console() != null
        && System.getenv("TERM") != null
        && !"dumb".equals(System.getenv("TERM"));
  }

  @Override
  public void nodeStarted(Descriptor node) {
    if (!bars || node.size() < MIN_BAR_BYTES || MediaTypes.isManifest(node.mediaType())) {
      return;
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(label(node))
            .setInitialMax(node.size())
            .setUnit(" MiB", 1024 * 1024)
            .showSpeed()
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .setConsumer(new InteractiveConsoleProgressBarConsumer(stream))
            .build();
    inFlight.put(node.digest(), bar);
  }

  @Override
  public void bytesTransferred(Descriptor node, long transferred) {
    ProgressBar bar = inFlight.get(node.digest());
    if (bar != null) {
      bar.stepTo(transferred);
    }
  }

  @Override
  public void nodeDone(Descriptor node) {
    copied.incrementAndGet();
    copiedBytes.addAndGet(node.size());
    ProgressBar bar = inFlight.remove(node.digest());
    if (bar != null) {
      bar.stepTo(node.size());
      bar.close();
    }
  }

  @Override
  public void nodeSkipped(Descriptor node) {
    skipped.incrementAndGet();
  }

  @Override
  public void nodeMounted(Descriptor node, String fromRepository) {
    mounted.incrementAndGet();
    ProgressBar bar = inFlight.remove(node.digest());
    if (bar != null) {
      bar.close();
    }
  }

  int copied() {
    return copied.get();
  }

  long copiedBytes() {
    return copiedBytes.get();
  }

  int skipped() {
    return skipped.get();
  }

  int mounted() {
    return mounted.get();
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** The summary line: copied N blobs / X MiB in T s, K skipped, M mounted. */
  String summary() {
    double seconds = elapsed().toMillis() / 1000.0;
    return String.format(
        java.util.Locale.ROOT,
        "Copied %d %s / %.1f MiB in %.1f s, %d skipped, %d mounted",
        copied(),
        copied() == 1 ? "node" : "nodes",
        copiedBytes() / (1024.0 * 1024.0),
        seconds,
        skipped(),
        mounted());
  }

  @Override
  public void close() {
    inFlight.values().forEach(ProgressBar::close);
    inFlight.clear();
  }

  private static String label(Descriptor node) {
    String title = node.annotation(dev.stevedore.content.Annotations.TITLE);
    String digest = node.digest().encoded().substring(0, 12);
    return title != null ? title + " " + digest : digest;
  }
}
