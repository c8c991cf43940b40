package dev.stevedore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.benchmarks.drivers.JibDriver;
import dev.stevedore.benchmarks.drivers.OrasDriver;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.content.remote.Registry;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.copy.CopyOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The in-process scenario set of issue 19 (goal 7): every phase with each library called from this
 * one long-lived JVM, so that JVM start-up is not in the figure, as for a library's users (a build
 * tool, a server). Each library keeps its client for the whole run (Stevedore's {@link Registry},
 * jib-core's thread pool, oras-java's {@code Registry}); per phase and library one warm-up copy
 * (repetition 0, not counted), then {@code REPS} timed copies, the libraries taking turns in an
 * order rotated per repetition. Every copy is checked: the destination's tagged root must have the
 * source's digest.
 *
 * <pre>
 * java -Xmx128m dev.stevedore.benchmarks.InProcess DATA REGISTRY WORK REPS CONCURRENCY OUT.tsv
 *   DATA: the harness's data dir (big/, small/ layouts); REGISTRY: 127.0.0.1:PORT, seeded with
 *   seed/big and seed/small
 * </pre>
 *
 * Output: one TSV line per copy: phase, library, repetition, status, wall seconds, process CPU
 * seconds (the whole JVM: the library's threads included), note.
 */
public final class InProcess {
  static final List<String> LIBRARIES = List.of("stevedore", "jib-core", "oras-java");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long COPY_TIMEOUT_S = 600;

  private InProcess() {}

  /** One phase: a source and a destination pattern ({@code @LIB}, {@code @REP}, {@code @WORK}). */
  record Phase(String id, String source, String destination, String expected) {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    String reg = args[1];
    Path work = Path.of(args[2]);
    int reps = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    Path out = Path.of(args[5]);
    Files.createDirectories(work);
    String big = rootDigest(data.resolve("big"));
    String small = rootDigest(data.resolve("small"));
    List<Phase> phases =
        List.of(
            new Phase(
                "push",
                "oci:" + data.resolve("big") + ":latest",
                reg + "/ip/push/@LIB/r@REP:latest",
                big),
            new Phase("pull", reg + "/seed/big:latest", "oci:@WORK/@LIB-pull-@REP:latest", big),
            new Phase("mount", reg + "/seed/big:latest", reg + "/ip/mount/@LIB/r@REP:latest", big),
            new Phase(
                "s4push",
                "oci:" + data.resolve("small") + ":latest",
                reg + "/ip/s4/@LIB/r@REP:latest",
                small),
            new Phase(
                "s4pull", reg + "/seed/small:latest", "oci:@WORK/@LIB-s4pull-@REP:latest", small));

    Libraries libs = new Libraries(reg, concurrency);
    List<String> lines = new ArrayList<>();
    lines.add("phase\tlibrary\trep\tstatus\twall_s\tcpu_s\tnote");
    ExecutorService runner = Executors.newSingleThreadExecutor(daemon());
    for (Phase phase : phases) {
      for (int rep = 0; rep <= reps; rep++) {
        for (int i = 0; i < LIBRARIES.size(); i++) {
          String lib = LIBRARIES.get((i + rep) % LIBRARIES.size());
          String src = phase.source().replace("@LIB", lib).replace("@REP", "" + rep);
          String dst =
              phase
                  .destination()
                  .replace("@LIB", lib)
                  .replace("@REP", "" + rep)
                  .replace("@WORK", work.toString());
          String status;
          String note = "";
          long cpu0 = cpuNanos();
          long t0 = System.nanoTime();
          Future<?> f = runner.submit(() -> libs.copy(lib, src, dst));
          try {
            f.get(COPY_TIMEOUT_S, TimeUnit.SECONDS);
            status = "ok";
          } catch (TimeoutException e) {
            f.cancel(true);
            status = "timeout";
            note = "over " + COPY_TIMEOUT_S + " s";
            // a stuck library keeps the runner thread: use a fresh one
            runner.shutdownNow();
            runner = Executors.newSingleThreadExecutor(daemon());
          } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            status = cause instanceof JibDriver.UnsupportedTransferException ? "n/a" : "failed";
            note = firstLine(cause);
          }
          double wall = (System.nanoTime() - t0) / 1e9;
          double cpu = (cpuNanos() - cpu0) / 1e9;
          if (status.equals("ok")) {
            String got = destinationDigest(dst);
            if (!phase.expected().equals(got)) {
              status = "wrong";
              note = "destination root " + got + " != source " + phase.expected();
            }
          }
          if (dst.startsWith("oci:")) {
            deleteTree(layoutDir(dst));
          }
          lines.add(
              String.join(
                  "\t",
                  phase.id(),
                  lib,
                  "" + rep,
                  status,
                  String.format(Locale.ROOT, "%.3f", wall),
                  String.format(Locale.ROOT, "%.3f", cpu),
                  note.replace('\t', ' ').replace('\n', ' ')));
          System.err.printf(
              Locale.ROOT,
              "[in-process] %s %s rep %d%s: %s %.3f s%n",
              phase.id(),
              lib,
              rep,
              rep == 0 ? " (warm-up)" : "",
              status,
              wall);
          Files.write(out, lines, StandardCharsets.UTF_8);
        }
      }
    }
    Files.write(out, lines, StandardCharsets.UTF_8);
    // oras-java's transfer threads are not daemons
    System.exit(0);
  }

  /** The three libraries, each with the client it keeps for the whole run. */
  /** The CLI's threshold for blind pushes to a registry (BaseCommand.REGISTRY_BLIND_PUSH_BELOW). */
  static final long BLIND_PUSH_BELOW = 64 * 1024;

  private static final class Libraries {
    private final Registry registry;
    private final int concurrency;
    private final ExecutorService jibPool;
    private final land.oras.Registry oras;

    Libraries(String reg, int concurrency) {
      this.registry = Registry.builder().host(reg).plainHttp().build();
      this.concurrency = concurrency;
      this.jibPool = Executors.newFixedThreadPool(concurrency, daemon());
      this.oras = land.oras.Registry.builder().insecure().withParallelism(concurrency).build();
    }

    void copy(String lib, String src, String dst) {
      try {
        switch (lib) {
          case "stevedore" -> stevedore(src, dst);
          case "jib-core" -> JibDriver.copy(src, dst, null, jibPool);
          case "oras-java" -> {
            if (dst.startsWith("oci:")) {
              // as the CLI driver does: oras-java 0.7.0 races creating blobs/sha256 (see the notes)
              Files.createDirectories(layoutDir(dst).resolve("blobs/sha256"));
            }
            OrasDriver.copy(src, dst, oras);
          }
          default -> throw new IllegalArgumentException(lib);
        }
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private void stevedore(String src, String dst) throws IOException {
      CopyGraphOptions graph = CopyGraphOptions.defaults().withConcurrency(concurrency);
      String srcTag = src.substring(src.lastIndexOf(':') + 1);
      String dstTag = dst.substring(dst.lastIndexOf(':') + 1);
      if (!src.startsWith("oci:") && !dst.startsWith("oci:")) {
        String fromRepository = repositoryName(src);
        graph = graph.withMountFrom(blob -> List.of(fromRepository));
      }
      if (!dst.startsWith("oci:")) {
        // As the CLI does for a registry destination: blobs under 64 KiB are pushed without a HEAD
        // first (a library user opts in the same way); without it the s4push phase made 3,000
        // requests here against the CLI's 2,000 and curl's 2,000.
        graph = graph.withBlindPushBelow(BLIND_PUSH_BELOW);
      }
      CopyOptions options = CopyOptions.defaults().withGraphOptions(graph);
      Descriptor root;
      if (dst.startsWith("oci:")) {
        OciLayoutStore to = OciLayoutStore.open(layoutDir(dst));
        try (OciLayoutStore.IndexBatch batch = to.batch()) {
          root = Copy.copy(source(src), srcTag, to, dstTag, options);
        }
      } else {
        try (Repository to = registry.repository(repositoryName(dst))) {
          root = Copy.copy(source(src), srcTag, to, dstTag, options);
        }
      }
      if (root == null) {
        throw new IllegalStateException("no root copied");
      }
    }

    private dev.stevedore.content.ReadOnlyTarget source(String src) throws IOException {
      return src.startsWith("oci:")
          ? OciLayoutStore.open(layoutDir(src))
          : registry.repository(repositoryName(src));
    }
  }

  static String repositoryName(String ref) {
    return ref.substring(ref.indexOf('/') + 1, ref.lastIndexOf(':'));
  }

  static Path layoutDir(String target) {
    String rest = target.substring("oci:".length());
    return Path.of(rest.substring(0, rest.lastIndexOf(':')));
  }

  private static String rootDigest(Path layout) throws IOException {
    return JSON.readTree(layout.resolve("index.json").toFile())
        .path("manifests")
        .get(0)
        .path("digest")
        .asText();
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** The digest the destination's tag points at, or a word saying why there is none. */
  static String destinationDigest(String dst) {
    try {
      String tag = dst.substring(dst.lastIndexOf(':') + 1);
      if (dst.startsWith("oci:")) {
        Path index = layoutDir(dst).resolve("index.json");
        if (!Files.exists(index)) {
          return "none (no index.json)";
        }
        for (JsonNode m : JSON.readTree(index.toFile()).path("manifests")) {
          if (tag.equals(
              m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
            return m.path("digest").asText();
          }
        }
        return "none (tag missing)";
      }
      String host = dst.substring(0, dst.indexOf('/'));
      HttpRequest head =
          HttpRequest.newBuilder(
                  URI.create("http://" + host + "/v2/" + repositoryName(dst) + "/manifests/" + tag))
              .method("HEAD", HttpRequest.BodyPublishers.noBody())
              .header(
                  "Accept",
                  "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json")
              .build();
      HttpResponse<Void> r = HTTP.send(head, HttpResponse.BodyHandlers.discarding());
      return r.headers()
          .firstValue("Docker-Content-Digest")
          .orElse("none (HTTP " + r.statusCode() + ")");
    } catch (IOException e) {
      return "none (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "none (interrupted)";
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    };
  }

  private static String firstLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg =
        root.getMessage() == null
            ? root.getClass().getSimpleName()
            : root.getClass().getSimpleName() + ": " + root.getMessage();
    return msg.length() > 200 ? msg.substring(0, 200) : msg;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
