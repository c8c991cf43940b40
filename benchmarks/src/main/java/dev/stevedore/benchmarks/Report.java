package dev.stevedore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Turns the harness's raw runs into {@code results/latest.md} and {@code results/latest.json}.
 *
 * <pre>
 * Report RUNS.tsv VERSIONS.properties SKIPPED.tsv RESULTS_DIR [JMH.json]
 * Report --jmh-only JMH.json RESULTS_DIR      (replaces the JMH section of an existing latest.md)
 * </pre>
 *
 * Figures only: a target whose figures are missing is reported as not measured, never as met.
 */
public final class Report {
  static final List<String> TOOLS = List.of("stevedore", "curl", "skopeo", "oras-java", "jib-core");
  static final Map<String, String> SCENARIOS = new LinkedHashMap<>();
  private static final String JMH_HEADING = "## Micro-benchmarks (JMH)";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static {
    SCENARIOS.put("s1", "1 push layout → empty repository");
    SCENARIOS.put("s2", "2 pull into an empty layout");
    SCENARIOS.put("s2files", "2 pull its layers as files (`stevedore pull`, skopeo `dir:`)");
    SCENARIOS.put("s3", "3 push again (all blobs exist)");
    SCENARIOS.put("s4push", "4 push N × 4 KiB layers");
    SCENARIOS.put("s4pull", "4 pull N × 4 KiB layers");
    SCENARIOS.put("s5", "5 registry → registry (same registry: mount)");
    SCENARIOS.put("s6", "6 layout → layout");
    SCENARIOS.put("s7all", "7 multi-platform index → layout, all platforms");
    SCENARIOS.put("s7one", "7 multi-platform index → layout, --platform linux/arm64");
    SCENARIOS.put("s8", "8 index of M manifests, layout → layout");
    SCENARIOS.put("startlayout", "start-up: resolve on a layout");
    SCENARIOS.put("startreg", "start-up: resolve on the registry");
    SCENARIOS.put("s1serve", "serve: push the big layout into `stevedore serve`");
    SCENARIOS.put("s2serve", "serve: pull it from `stevedore serve`");
    SCENARIOS.put("s2get", "2 its blobs into /dev/null (curl, the registry's delivery)");
    SCENARIOS.put("s2getserve", "serve: its blobs into /dev/null from `stevedore serve`");
  }

  /** One measured process. */
  record Run(
      int round,
      String scenario,
      String tool,
      String status,
      Double wall,
      Double user,
      Double sys,
      Long rssKb,
      Long requests,
      Long connections,
      Long tmpKb,
      String note,
      Long heapPeakMib,
      Long heapLiveMib) {}

  /** Aggregate of one scenario × tool. */
  record Cell(
      String scenario,
      String tool,
      int ok,
      int total,
      Double median,
      Double min,
      Double max,
      Double cpuMedian,
      Long rssMaxKb,
      Double requests,
      Double connections,
      Long tmpMaxKb,
      String status,
      List<String> notes,
      Long heapPeakMib,
      Long heapLiveMib) {}

  private Report() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 1 && args[0].equals("--jmh-only")) {
      Path results = Path.of(args[2]);
      Path md = results.resolve("latest.md");
      String existing = Files.exists(md) ? Files.readString(md) : "# Stevedore benchmarks\n\n";
      int at = existing.indexOf(JMH_HEADING);
      String head = at >= 0 ? existing.substring(0, at) : existing + "\n";
      Files.writeString(md, head + jmhSection(Path.of(args[1])));
      return;
    }
    List<Run> runs = readRuns(Path.of(args[0]));
    Properties env = new Properties();
    env.load(new StringReader(Files.readString(Path.of(args[1]))));
    Map<String, String> skipped = readSkipped(Path.of(args[2]));
    Path results = Path.of(args[3]);
    Optional<Path> jmh = args.length > 4 ? Optional.of(Path.of(args[4])) : Optional.empty();
    Files.createDirectories(results);

    Map<String, Map<String, Cell>> cells = aggregate(runs);
    String inprocess = env.getProperty("inprocess", "");
    List<Goals.InRun> inRuns =
        inprocess.isBlank() ? List.of() : Goals.readInProcess(Path.of(inprocess));
    Map<String, Map<String, Goals.InCell>> in = Goals.aggregateInProcess(inRuns);
    List<Goals.Goal> goals = Goals.goals(cells, env, in, runs);
    Optional<Path> baseline = Goals.baselineFile(results);
    Map<String, Double> base =
        baseline.isPresent() ? Goals.baselineMedians(baseline.get()) : Map.of();
    String extra =
        "## Goals of issues 19, 16, 15 and 14\n\n"
            + Goals.goalsTable(goals)
            + "\n## In-process set: each library called from one long-lived JVM (issue 19, goal 7)\n\n"
            + (in.isEmpty()
                ? "Not run (`--no-in-process`, or it failed before its first copy: see the run's log).\n"
                : Goals.InProcessTable.render(in, env))
            + "\n## Baseline: Stevedore then and now\n\n"
            + (baseline.isEmpty()
                ? "No baseline-*.json in the results directory.\n"
                : Goals.baselineTable(
                    cells,
                    base,
                    baseline.get().getFileName().toString().replaceAll("^baseline-|\\.json$", "")));
    Files.writeString(
        results.resolve("latest.md"),
        withDefaults(markdown(cells, env, skipped, jmh, extra), results),
        StandardCharsets.UTF_8);
    Files.writeString(
        results.resolve("latest.json"),
        json(cells, runs, env, skipped, jmh, goals, inRuns, in),
        StandardCharsets.UTF_8);
  }

  /**
   * Puts the hand-written section on the defaults chosen from these figures ({@code DEFAULTS.md}
   * beside the results directory) before the micro-benchmarks, or at the end.
   */
  static String withDefaults(String markdown, Path results) throws IOException {
    Path defaults = results.toAbsolutePath().getParent().resolve("DEFAULTS.md");
    if (!Files.exists(defaults)) {
      return markdown;
    }
    String section = Files.readString(defaults).strip() + "\n\n";
    int at = markdown.indexOf(JMH_HEADING);
    return at >= 0
        ? markdown.substring(0, at) + section + markdown.substring(at)
        : markdown + "\n" + section;
  }

  static List<Run> readRuns(Path tsv) throws IOException {
    List<Run> runs = new ArrayList<>();
    List<String> lines = Files.readAllLines(tsv);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      if (f.length < 12) {
        continue;
      }
      runs.add(
          new Run(
              Integer.parseInt(f[0]),
              f[1],
              f[2],
              f[3],
              dbl(f[4]),
              dbl(f[5]),
              dbl(f[6]),
              lng(f[7]),
              lng(f[8]),
              lng(f[9]),
              lng(f[10]),
              f[11],
              f.length > 12 ? lng(f[12]) : null,
              f.length > 13 ? lng(f[13]) : null));
    }
    return runs;
  }

  private static Map<String, String> readSkipped(Path tsv) throws IOException {
    Map<String, String> skipped = new LinkedHashMap<>();
    if (Files.exists(tsv)) {
      for (String line : Files.readAllLines(tsv)) {
        String[] f = line.split("\t", 2);
        if (f.length == 2) {
          skipped.put(f[0], f[1]);
        }
      }
    }
    return skipped;
  }

  static Map<String, Map<String, Cell>> aggregate(List<Run> runs) {
    Map<String, Map<String, Cell>> out = new LinkedHashMap<>();
    for (String scenario : SCENARIOS.keySet()) {
      for (String tool : TOOLS) {
        List<Run> mine =
            runs.stream()
                .filter(r -> r.scenario().equals(scenario) && r.tool().equals(tool))
                .toList();
        if (mine.isEmpty()) {
          continue;
        }
        List<Run> ok =
            mine.stream().filter(r -> r.status().equals("ok") && r.wall() != null).toList();
        List<Double> walls = ok.stream().map(Run::wall).sorted().toList();
        List<Double> cpu =
            ok.stream()
                .filter(r -> r.user() != null && r.sys() != null)
                .map(r -> r.user() + r.sys())
                .sorted()
                .toList();
        List<String> notes =
            mine.stream().map(Run::note).filter(n -> !n.isBlank()).distinct().toList();
        String status =
            ok.size() == mine.size()
                ? "ok"
                : mine.stream().allMatch(r -> r.status().equals("n/a"))
                    ? "n/a"
                    : mine.stream()
                        .map(Run::status)
                        .filter(s -> !s.equals("ok"))
                        .findFirst()
                        .orElse("?");
        out.computeIfAbsent(scenario, k -> new LinkedHashMap<>())
            .put(
                tool,
                new Cell(
                    scenario,
                    tool,
                    ok.size(),
                    mine.size(),
                    median(walls),
                    walls.isEmpty() ? null : walls.get(0),
                    walls.isEmpty() ? null : walls.get(walls.size() - 1),
                    median(cpu),
                    ok.stream()
                        .map(Run::rssKb)
                        .filter(v -> v != null)
                        .max(Long::compare)
                        .orElse(null),
                    median(
                        ok.stream()
                            .map(Run::requests)
                            .filter(v -> v != null)
                            .map(Long::doubleValue)
                            .sorted()
                            .toList()),
                    median(
                        ok.stream()
                            .map(Run::connections)
                            .filter(v -> v != null)
                            .map(Long::doubleValue)
                            .sorted()
                            .toList()),
                    ok.stream()
                        .map(Run::tmpKb)
                        .filter(v -> v != null)
                        .max(Long::compare)
                        .orElse(null),
                    status,
                    notes,
                    ok.stream()
                        .map(Run::heapPeakMib)
                        .filter(v -> v != null)
                        .max(Long::compare)
                        .orElse(null),
                    ok.stream()
                        .map(Run::heapLiveMib)
                        .filter(v -> v != null)
                        .max(Long::compare)
                        .orElse(null)));
      }
    }
    return out;
  }

  static Double median(List<Double> sorted) {
    if (sorted.isEmpty()) {
      return null;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String markdown(
      Map<String, Map<String, Cell>> cells,
      Properties env,
      Map<String, String> skipped,
      Optional<Path> jmh,
      String extra)
      throws IOException {
    StringBuilder md = new StringBuilder();
    boolean smoke = "1".equals(env.getProperty("smoke"));
    md.append("# Stevedore benchmarks — latest run\n\n");
    md.append("Generated by `benchmarks/run`")
        .append(smoke ? " --smoke" : "")
        .append(" on ")
        .append(env.getProperty("started"))
        .append(". ")
        .append(
            smoke
                ? "**Smoke run: small data, one round — it proves the harness, its figures are not "
                    + "performance claims.** "
                : "")
        .append("Raw runs: `runs.tsv`; machine-readable: `latest.json`.\n\n");

    md.append("## Machine, tools, settings\n\n| | |\n|---|---|\n");
    row(md, "JDK", env.getProperty("jdk") + " — " + env.getProperty("jvm"));
    row(md, "cores / memory", env.getProperty("cores") + " / " + env.getProperty("memory"));
    row(md, "kernel", env.getProperty("kernel"));
    row(md, "registry", "docker-registry " + env.getProperty("registry"));
    row(
        md,
        "Stevedore",
        skipped.containsKey("stevedore")
            ? "**not measured**: " + skipped.get("stevedore")
            : env.getProperty("stevedore", "CLI (version unknown)"));
    row(
        md,
        "skopeo",
        skipped.containsKey("skopeo")
            ? "not measured: " + skipped.get("skopeo")
            : env.getProperty("skopeo")
                + " (`--preserve-digests`, TLS verification off"
                + ("1".equals(env.getProperty("skopeo_fresh_cache"))
                    ? ", fresh blob-info cache per run)"
                    : ")"));
    row(
        md,
        "oras-java",
        "land.oras:oras-java-sdk "
            + env.getProperty("lib.oras-java")
            + " (driver: CopyUtils.copy"
            + ("1".equals(env.getProperty("oras_no_workaround"))
                ? ")"
                : "; blobs/sha256 pre-created, see the notes)"));
    row(
        md,
        "jib-core",
        "com.google.cloud.tools:jib-core "
            + env.getProperty("lib.jib-core")
            + " (driver: RegistryClient)");
    row(
        md,
        "curl",
        env.getProperty("curl")
            + " (floor: POST + monolithic PUT per blob; GET | tee | sha256sum + "
            + "sync per blob; "
            + env.getProperty("concurrency")
            + " in parallel)");
    row(
        md,
        "JVM tools",
        "-Xmx"
            + env.getProperty("xmx")
            + ", concurrency "
            + env.getProperty("concurrency")
            + " (Stevedore `--concurrency`, oras-java `withParallelism`, jib-core driver pool)");
    row(
        md,
        "timing",
        "each tool is one process timed from outside with "
            + env.getProperty("time")
            + " (wall, user+sys CPU, peak RSS of the process tree)");
    row(
        md,
        "data",
        env.getProperty("layers")
            + " × "
            + env.getProperty("layer_mib")
            + " MiB layers ("
            + mib(Long.parseLong(env.getProperty("big_bytes", "0")))
            + " MiB of blobs), "
            + env.getProperty("small_layers")
            + " × 4 KiB layers, multi-platform index of 4 platforms sharing a "
            + env.getProperty("multi_base_mib")
            + " MiB base layer + "
            + env.getProperty("multi_platform_mib")
            + " MiB each; real tar+gzip layers (stored deflate blocks around random bytes)");
    row(
        md,
        "rounds",
        env.getProperty("rounds")
            + " (within a round every tool runs each scenario once, in an "
            + "order rotated per round)");
    row(md, "registry storage at the end", env.getProperty("registry_storage_kb", "?") + " KiB");
    row(
        md,
        "machine-speed references",
        "the JVM alone (`java -version` with the launcher's flags for quick commands): "
            + env.getProperty("jvm_floor_s", "?")
            + " s, median of "
            + env.getProperty("startup_runs", "?")
            + "; the registry's HEAD of an existing blob over a kept-alive connection: "
            + env.getProperty("floor.head_ms", "?")
            + " ms, median of 200");
    md.append('\n');

    md.append("## Results: median wall time (s) and ratio to Stevedore\n\n");
    md.append("| scenario |");
    for (String tool : TOOLS) {
      md.append(' ').append(tool).append(" |");
    }
    md.append("\n|---|");
    TOOLS.forEach(t -> md.append("---|"));
    md.append('\n');
    for (var e : cells.entrySet()) {
      md.append("| ").append(scenarioName(e.getKey(), env)).append(" |");
      Cell ref = e.getValue().get("stevedore");
      for (String tool : TOOLS) {
        Cell c = e.getValue().get(tool);
        md.append(' ').append(matrixCell(c, ref, skipped.get(tool))).append(" |");
      }
      md.append('\n');
    }
    md.append(
        "\nCell: median (min–max over the rounds), then ×ratio = tool ÷ Stevedore (above 1: Stevedore "
            + "faster). n/a: the tool cannot do that transfer (the reason is in the notes below); skipped: "
            + "the tool was not run. Start-up rows: the median of every probe ("
            + env.getProperty("startup_runs", "?")
            + " per tool). Serve rows: the same transfers as 1 and 2 with `stevedore serve` (-Xmx"
            + env.getProperty("xmx")
            + ") as the registry; compare with rows 1 and 2 of the same client. The /dev/null rows:"
            + " curl fetching the same blobs without hashing or writing them, from each server: what"
            + " the servers themselves deliver. curl's rows 4 are the "
            + "kept-alive floor (POST + PUT, or GET, per blob; "
            + env.getProperty("concurrency")
            + " connections reused).\n\n");
    md.append(extra).append('\n');

    md.append("## Per run detail (medians over the rounds)\n\n");
    md.append(
        "| scenario | tool | runs ok | wall s | throughput | CPU s | peak RSS MiB | heap peak / live MiB "
            + "| requests | TCP connections | temp growth KiB | notes |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    long bigBytes = Long.parseLong(env.getProperty("big_bytes", "0"));
    int small = Integer.parseInt(env.getProperty("small_layers", "0"));
    long many = Long.parseLong(env.getProperty("many_manifests", "0"));
    for (var e : cells.entrySet()) {
      for (Cell c : e.getValue().values()) {
        if (c.status().equals("n/a")) {
          continue; // the matrix says n/a; the reasons are in the notes
        }
        md.append("| ")
            .append(c.scenario())
            .append(" | ")
            .append(c.tool())
            .append(" | ")
            .append(c.ok())
            .append('/')
            .append(c.total())
            .append(" | ")
            .append(fmt(c.median()))
            .append(" | ")
            .append(throughput(c, bigBytes, small, many))
            .append(" | ")
            .append(fmt(c.cpuMedian()))
            .append(" | ")
            .append(c.rssMaxKb() == null ? "–" : String.valueOf(c.rssMaxKb() / 1024))
            .append(" | ")
            .append(c.heapPeakMib() == null ? "–" : c.heapPeakMib() + " / " + c.heapLiveMib())
            .append(" | ")
            .append(fmt0(c.requests()))
            .append(" | ")
            .append(fmt0(c.connections()))
            .append(" | ")
            .append(c.tmpMaxKb() == null ? "–" : c.tmpMaxKb())
            .append(" | ")
            .append(String.join("; ", c.notes()).replace("|", "\\|"))
            .append(" |\n");
      }
    }
    md.append(
        "\nRequests: lines of the registry's access log during the run; TCP connections: distinct client "
            + "ports in its `response completed` lines. Temp growth: what the run left in its own TMPDIR / "
            + "java.io.tmpdir. Peak RSS is the whole process (JVM: heap + metaspace + code cache + threads), not "
            + "the heap. Heap (JVM tools, from `-Xlog:gc`): peak = the most the heap held when a GC started or at "
            + "exit (young-generation sizing inflates it up to the -Xmx); live = the most that survived a GC.\n\n");

    md.append("## Targets of issue 10\n\n");
    md.append(targets(cells, env, skipped));

    md.append("\n## Notes on the peers\n\n");
    md.append(
        """
        - **skopeo** copies with `--preserve-digests` (without it, it may recompress layers and change digests). \
        Its per-layer cost grows quadratically with the number of layers (1,000 small layers: over a minute), \
        which is why scenario 4 is slow for it (`SKOPEO_SMALL=0` leaves it out). It has no concurrency flag \
        in 1.9 (parallel copies: its built-in default). It mounts across repositories only from locations its \
        blob-info cache remembers; the harness gives every skopeo run a fresh cache (in the run's own \
        directory) so that scenario 1 really uploads and scenario 5 shows what a fresh client does. With \
        `--platform` (scenario 7) it writes the one platform's manifest, not a filtered index. The layers \
        are real gzip; skopeo 1.9.3 was also checked with random bytes labelled `tar+gzip`: oci → registry, \
        registry → oci and oci → oci copies pass them unchanged (copies that convert the format or the \
        compression were not checked). It opens a new TCP connection for almost every request.
        - **oras-java** 0.7.0: `CopyUtils.copy(source, ref, target, ref, CopyOptions)` between `Registry` \
        (`Registry.builder().insecure().withParallelism(N)`) and `OCILayout`; `CopyOptions.withPlatformFilter` \
        for scenario 7 (its `Platform.matches` compares variants exactly, so `linux/arm64` does not match an \
        index entry `linux/arm64/v8`; the driver adds `v8` for arm64 as containerd's matcher would). Found while writing the driver: `OCILayout.Builder.build()` creates the layout \
        directory but not its parents; a layout whose tag points at an image index (`index.json` → index blob, \
        the usual multi-platform layout) sends `CopyUtils.copy` into endless recursion (StackOverflowError), \
        so the multi-platform data is seeded with the harness's own HTTP seeder. Writing into a new layout, \
        `OCILayout.ensureAlgorithmPath` races (exists check, then `Files.createDirectory` from several \
        transfer threads): a pull into a new layout often fails with `FileAlreadyExistsException: …/blobs/sha256` \
        (2 of 9 layout-writing runs in one smoke run). The driver pre-creates `blobs/sha256`, as a user \
        would once bitten (`ORAS_NO_WORKAROUND=1` shows the raw behaviour; failed runs count as failed). Its layer-transfer threads are \
        non-daemon, so the driver calls `System.exit` (else a failed copy hangs the JVM).
        - **jib-core**: `RegistryClient` does existence checks, uploads, mounts (`pushBlob` with a source \
        repository), manifests; it has no layout store, so the driver's layout side is plain file code with \
        the same durability as Stevedore's (temp file, digest check, fsync, atomic rename). No layout → layout \
        copy, no index copy with platform selection (n/a).
        - **jib-core and the heap**: jib's `FailoverHttpClient` makes an Apache transport (its own \
        connection pool and buffers) for every request and keeps each until `shutDown()`; one client for \
        the 3,000 requests of 1,000 small blobs ran out of the 128 MiB heap (the 2026-11-23 baseline's \
        "failed" on 4 push was this, in the driver, not jib's transfer code). The driver now gives each \
        blob task its own client and shuts it down after the blob, so the heap stays bounded at the same \
        -Xmx as every other tool. `JibDriver resolve REF` (one `pullManifest`) is its start-up probe.
        - **curl** is the floor for scenarios 1 and 2 (a process per request) and, kept alive, for 4: N \
        workers, each one curl process for all its POSTs then one for all its PUTs (the registry's upload \
        sessions do not care which connection finishes them), or one for all its GETs then sha256sum, sync \
        and rename: the same requests as the clients, over N reused connections. Also for the serve rows.
        - **scenario 8** (index of many manifests, layout → layout): oras-java 0.7.0 cannot start from a \
        layout tagged with an index (endless recursion, above); jib-core has no layout store; skopeo copies \
        it with `--all`, bounded by `S8_TIMEOUT` (a timeout is reported as such).
        - **serve rows**: `stevedore serve oci:DIR` started by the harness from the CLI's class path with \
        the same -Xmx, on a free loopback port, seeded with the big artifact by the harness's own seeder; \
        the registry request counts of these rows are docker-registry's (none: serve logs no access lines). \
        After each s1serve run the harness deletes what it pushed through the registry API: serve keeps \
        each repository in a layout of its own (a push stores the artifact anew) where docker-registry \
        stores a blob once, and the kept copies filled the page cache (2 GiB a round) until later runs \
        paid for reclaim (the Stevedore client's system CPU on s2serve went from 1.1 s to 2.0–2.8 s). \
        The servers' peak RSS (VmHWM over the whole run) is in the goals table.
        """);
    if (!skipped.isEmpty()) {
      md.append("\n### Tools not run\n\n");
      skipped.forEach(
          (tool, why) -> md.append("- ").append(tool).append(": ").append(why).append('\n'));
    }
    if (jmh.isPresent()) {
      md.append('\n').append(jmhSection(jmh.get()));
    }
    return md.toString();
  }

  static String scenarioName(String scenario, Properties env) {
    return SCENARIOS
        .get(scenario)
        .replace("N ×", env.getProperty("small_layers", "N") + " ×")
        .replace("of M manifests", "of " + env.getProperty("many_manifests", "M") + " manifests");
  }

  private static String matrixCell(Cell c, Cell ref, String skipped) {
    if (c == null) {
      return skipped != null ? "skipped" : "–";
    }
    if (c.median() == null) {
      return c.status().equals("n/a") ? "n/a" : "**" + c.status() + "**";
    }
    String s = fmt(c.median()) + " (" + fmt(c.min()) + "–" + fmt(c.max()) + ")";
    if (ref != null && ref.median() != null && !c.tool().equals("stevedore")) {
      s += " ×" + String.format(Locale.ROOT, "%.2f", c.median() / ref.median());
    }
    if (c.ok() < c.total()) {
      s += " (" + c.ok() + "/" + c.total() + " ok)";
    }
    return s;
  }

  private static String throughput(Cell c, long bigBytes, int small, long many) {
    if (c.median() == null) {
      return "–";
    }
    return switch (c.scenario()) {
      case "s1", "s2", "s2files", "s5", "s6", "s1serve", "s2serve", "s2get", "s2getserve" ->
          String.format(Locale.ROOT, "%.0f MiB/s", bigBytes / 1048576.0 / c.median());
      case "s4push", "s4pull" -> String.format(Locale.ROOT, "%.0f blobs/s", small / c.median());
      case "s8" -> String.format(Locale.ROOT, "%.0f manifests/s", many / c.median());
      default -> "–";
    };
  }

  private static String targets(
      Map<String, Map<String, Cell>> cells, Properties env, Map<String, String> skipped) {
    StringBuilder t = new StringBuilder("| target | figures | verdict |\n|---|---|---|\n");
    Optional<Double> s1 = med(cells, "s1", "stevedore");
    Optional<Double> s2 = med(cells, "s2", "stevedore");
    String none =
        skipped.containsKey("stevedore") ? "not measured: Stevedore was not run" : "not measured";
    target(
        t,
        "1: push within 1.15× of the parallel-curl floor",
        s1,
        med(cells, "s1", "curl"),
        (a, b) -> a / b <= 1.15,
        "Stevedore %s s, curl %s s: ×%.2f",
        none);
    for (String peer : List.of("skopeo", "jib-core")) {
      target(
          t,
          "1: push faster than " + peer,
          s1,
          med(cells, "s1", peer),
          (a, b) -> a < b,
          "Stevedore %s s, " + peer + " %s s: ×%.2f",
          none);
    }
    target(
        t,
        "1: push at least 1.5× faster than oras-java",
        s1,
        med(cells, "s1", "oras-java"),
        (a, b) -> b / a >= 1.5,
        "Stevedore %1$s s, oras-java %2$s s: oras-java ÷ Stevedore ×%4$.2f",
        none);
    target(
        t,
        "2: verified durable pull within 1.2× of the floor",
        s2,
        med(cells, "s2", "curl"),
        (a, b) -> a / b <= 1.2,
        "Stevedore %s s, curl %s s: ×%.2f",
        none);
    Cell s3 = cells.getOrDefault("s3", Map.of()).get("stevedore");
    t.append("| 3: one existence check per root when everything exists | ");
    if (s3 == null || s3.requests() == null) {
      t.append(none).append(" | – |\n");
    } else {
      t.append(fmt0(s3.requests()))
          .append(" registry requests, ")
          .append(fmt(s3.median()))
          .append(" s | ")
          .append(
              s3.requests() <= 3
                  ? "met"
                  : "**missed** (more than a ping, a HEAD and a manifest PUT)")
          .append(" |\n");
    }
    int small = Integer.parseInt(env.getProperty("small_layers", "0"));
    for (String s : List.of("s4push", "s4pull")) {
      Optional<Double> m = med(cells, s, "stevedore");
      t.append("| 4: at least 150 blobs/s (").append(s.substring(2)).append(") | ");
      if (m.isEmpty()) {
        t.append(none).append(" | – |\n");
      } else {
        double rate = small / m.get();
        t.append(
                String.format(
                    Locale.ROOT, "%d blobs in %s s: %.0f blobs/s", small, fmt(m.get()), rate))
            .append(" | ")
            .append(rate >= 150 ? "met" : "**missed**")
            .append(" |\n");
      }
    }
    for (String s : List.of("s5", "s6", "s7all", "s7one")) {
      Optional<Double> m = med(cells, s, "stevedore");
      Optional<Cell> best =
          cells.getOrDefault(s, Map.of()).values().stream()
              .filter(
                  c ->
                      !c.tool().equals("stevedore")
                          && !c.tool().equals("curl")
                          && c.median() != null
                          && c.ok() == c.total())
              .min(Comparator.comparing(Cell::median));
      t.append("| ")
          .append(s.substring(1, 2))
          .append(": at least as fast as the fastest peer (")
          .append(s)
          .append(") | ");
      if (m.isEmpty()) {
        t.append(none)
            .append(
                best.map(b -> "; fastest peer " + b.tool() + " " + fmt(b.median()) + " s")
                    .orElse(""))
            .append(" | – |\n");
      } else if (best.isEmpty()) {
        t.append("Stevedore ")
            .append(fmt(m.get()))
            .append(" s; no peer did it | met (no peer) |\n");
      } else {
        t.append("Stevedore ")
            .append(fmt(m.get()))
            .append(" s, ")
            .append(best.get().tool())
            .append(' ')
            .append(fmt(best.get().median()))
            .append(" s | ")
            .append(m.get() <= best.get().median() ? "met" : "**missed**")
            .append(" |\n");
      }
    }
    t.append("| peak heap in 1 and 2 under 128 MiB (run with -Xmx")
        .append(env.getProperty("xmx"))
        .append(") | ");
    Cell c1 = cells.getOrDefault("s1", Map.of()).get("stevedore");
    Cell c2 = cells.getOrDefault("s2", Map.of()).get("stevedore");
    if (c1 == null || c2 == null) {
      t.append(none).append(" | – |\n");
    } else {
      boolean ok =
          c1.ok() == c1.total() && c2.ok() == c2.total() && "128m".equals(env.getProperty("xmx"));
      t.append("all runs ")
          .append(ok ? "completed" : "did not all complete")
          .append(" under -Xmx")
          .append(env.getProperty("xmx"))
          .append("; heap peak / live: scenario 1 ")
          .append(c1.heapPeakMib())
          .append(" / ")
          .append(c1.heapLiveMib())
          .append(" MiB, scenario 2 ")
          .append(c2.heapPeakMib())
          .append(" / ")
          .append(c2.heapLiveMib())
          .append(" MiB; process RSS ")
          .append(c1.rssMaxKb() == null ? "?" : c1.rssMaxKb() / 1024)
          .append(" / ")
          .append(c2.rssMaxKb() == null ? "?" : c2.rssMaxKb() / 1024)
          .append(" MiB | ")
          .append(ok ? "met" : "**missed**")
          .append(" |\n");
    }
    t.append("| no temp files left behind | ");
    List<Cell> mine =
        cells.values().stream().map(m -> m.get("stevedore")).filter(c -> c != null).toList();
    if (mine.isEmpty()) {
      t.append(none).append(" | – |\n");
    } else {
      long worst =
          mine.stream().map(Cell::tmpMaxKb).filter(v -> v != null).max(Long::compare).orElse(0L);
      boolean stray =
          mine.stream()
              .anyMatch(c -> c.notes().stream().anyMatch(n -> n.contains("temp files left")));
      t.append("largest temp-directory growth ")
          .append(worst)
          .append(" KiB")
          .append(
              stray
                  ? "; temp files left in a destination layout"
                  : "; no stray files in destination layouts")
          .append(" | ")
          .append(worst == 0 && !stray ? "met" : "**missed**")
          .append(" |\n");
    }
    t.append(
            "\nThe registry's own floor in this run: a HEAD of an existing blob over a kept-alive connection "
                + "took ")
        .append(env.getProperty("floor.head_ms", "?"))
        .append(
            " ms (median of 200); the harness's "
                + "seeder (Java HttpClient, 4 kept-alive connections, HEAD + POST + monolithic PUT per blob) pushed the ")
        .append(small)
        .append(" small blobs in ")
        .append(env.getProperty("floor.seed_small_ms", "?"))
        .append(" ms including its JVM start");
    String seedMs = env.getProperty("floor.seed_small_ms");
    if (seedMs != null && !seedMs.isBlank() && small > 0) {
      t.append(
          String.format(Locale.ROOT, " (%.0f blobs/s)", small / (Long.parseLong(seedMs) / 1000.0)));
    }
    t.append(
        ". Figures the issue quotes for this kind of machine (2 cores, loopback docker-registry 2.8.2): "
            + "4 parallel curl uploads of 4 × 256 MiB ≈ 3.6 s; a verified, fsync'd pull of 1 GiB ≈ 1.6 s; a HEAD "
            + "of an existing blob ≈ 1.4 ms; a 4 KiB blob pushed over kept-alive connections ≈ 5–8 ms. This "
            + "run's own curl rows above are the floor that counts.\n");
    return t.toString();
  }

  private interface Check {
    boolean test(double stevedore, double other);
  }

  private static void target(
      StringBuilder t,
      String name,
      Optional<Double> mine,
      Optional<Double> other,
      Check check,
      String figures,
      String none) {
    t.append("| ").append(name).append(" | ");
    if (mine.isEmpty() || other.isEmpty()) {
      t.append(mine.isEmpty() ? none : "peer not measured")
          .append(other.map(o -> "; peer " + fmt(o) + " s").orElse(""))
          .append(" | – |\n");
      return;
    }
    double a = mine.get();
    double b = other.get();
    t.append(String.format(Locale.ROOT, figures, fmt(a), fmt(b), a / b, b / a))
        .append(" | ")
        .append(check.test(a, b) ? "met" : "**missed**")
        .append(" |\n");
  }

  private static Optional<Double> med(
      Map<String, Map<String, Cell>> cells, String scenario, String tool) {
    Cell c = cells.getOrDefault(scenario, Map.of()).get(tool);
    return c == null || c.median() == null || c.ok() < c.total()
        ? Optional.empty()
        : Optional.of(c.median());
  }

  static String jmhSection(Path jmhJson) throws IOException {
    StringBuilder md = new StringBuilder(JMH_HEADING).append("\n\n");
    if (!Files.exists(jmhJson)) {
      return md.append("Not run.\n").toString();
    }
    JsonNode results = JSON.readTree(jmhJson.toFile());
    md.append(
        "| benchmark | params | mode | score | error (99.9%) | unit |\n|---|---|---|---|---|---|\n");
    for (JsonNode r : results) {
      String name = r.path("benchmark").asText().replace("dev.stevedore.benchmarks.jmh.", "");
      StringBuilder params = new StringBuilder();
      r.path("params")
          .properties()
          .forEach(
              p -> params.append(p.getKey()).append('=').append(p.getValue().asText()).append(' '));
      JsonNode m = r.path("primaryMetric");
      md.append("| ")
          .append(name)
          .append(" | ")
          .append(params.toString().trim())
          .append(" | ")
          .append(r.path("mode").asText())
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.3f", m.path("score").asDouble()))
          .append(" | ")
          .append(
              m.path("scoreError").isNumber()
                  ? String.format(Locale.ROOT, "%.3f", m.path("scoreError").asDouble())
                  : "–")
          .append(" | ")
          .append(m.path("scoreUnit").asText());
      if (name.startsWith("HashBenchmark") && m.path("scoreUnit").asText().equals("ms/op")) {
        md.append(
            String.format(
                Locale.ROOT, " (64 MiB: %.0f MiB/s)", 64_000 / m.path("score").asDouble()));
      }
      md.append(" |\n");
    }
    JsonNode first = results.size() > 0 ? results.get(0) : null;
    if (first != null) {
      md.append("\nJMH ")
          .append(first.path("jmhVersion").asText())
          .append(", ")
          .append(first.path("jvm").asText())
          .append(' ')
          .append(first.path("vmVersion").asText())
          .append(", forks ")
          .append(first.path("forks").asInt())
          .append(", warm-up ")
          .append(first.path("warmupIterations").asInt())
          .append(" × ")
          .append(first.path("warmupTime").asText())
          .append(", measurement ")
          .append(first.path("measurementIterations").asInt())
          .append(" × ")
          .append(first.path("measurementTime").asText())
          .append(" — short settings: indicative, not final.\n");
    }
    return md.toString();
  }

  private static String json(
      Map<String, Map<String, Cell>> cells,
      List<Run> runs,
      Properties env,
      Map<String, String> skipped,
      Optional<Path> jmh,
      List<Goals.Goal> goals,
      List<Goals.InRun> inRuns,
      Map<String, Map<String, Goals.InCell>> in)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("environment");
    env.stringPropertyNames().stream().sorted().forEach(k -> e.put(k, env.getProperty(k)));
    ObjectNode s = root.putObject("skipped");
    skipped.forEach(s::put);
    ArrayNode agg = root.putArray("results");
    for (var byScenario : cells.values()) {
      for (Cell c : byScenario.values()) {
        agg.add(JSON.valueToTree(c));
      }
    }
    root.set("runs", JSON.valueToTree(runs));
    root.set("goals", JSON.valueToTree(goals));
    ArrayNode inAgg = root.putArray("inProcess");
    in.values().forEach(m -> m.values().forEach(c -> inAgg.add(JSON.valueToTree(c))));
    root.set("inProcessRuns", JSON.valueToTree(inRuns));
    if (jmh.isPresent() && Files.exists(jmh.get())) {
      root.set("jmh", JSON.readTree(jmh.get().toFile()));
    }
    return JSON.writeValueAsString(root);
  }

  private static void row(StringBuilder md, String k, String v) {
    md.append("| ")
        .append(k)
        .append(" | ")
        .append(v == null ? "?" : v.replace("|", "\\|"))
        .append(" |\n");
  }

  private static String fmt(Double d) {
    return d == null ? "–" : String.format(Locale.ROOT, d < 10 ? "%.2f" : "%.1f", d);
  }

  private static String fmt0(Double d) {
    return d == null ? "–" : String.format(Locale.ROOT, "%.0f", d);
  }

  private static long mib(long bytes) {
    return bytes / 1048576;
  }

  private static Double dbl(String s) {
    return s.isBlank() ? null : Double.parseDouble(s);
  }

  private static Long lng(String s) {
    return s.isBlank() ? null : Long.parseLong(s.trim());
  }
}
