package dev.stevedore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.benchmarks.Report.Cell;
import java.io.IOException;
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
import java.util.stream.Stream;

/**
 * The report's parts for issues 19, 16, 15 and 14: the goals table (each goal: scenario, target,
 * measured, met / missed / not measured), the in-process set's table and the baseline comparison.
 * Figures only: a goal whose figures are missing is "not measured", never met.
 */
final class Goals {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Goals() {}

  /** A goal's verdict. */
  enum Verdict {
    MET("met"),
    MISSED("**missed**"),
    NOT_MEASURED("not measured");

    final String text;

    Verdict(String text) {
      this.text = text;
    }
  }

  /** One row of the goals table. */
  record Goal(
      String issue,
      String goal,
      String scenario,
      String target,
      String measured,
      Verdict verdict) {}

  /** One copy of the in-process set. */
  record InRun(
      String phase, String library, int rep, String status, Double wall, Double cpu, String note) {}

  /** Median of the timed (non-warm-up) copies of one phase × library. */
  record InCell(
      String phase,
      String library,
      int ok,
      int total,
      Double median,
      Double min,
      Double max,
      Double cpu,
      List<String> notes) {}

  static final Map<String, String> PHASES = new LinkedHashMap<>();

  static {
    PHASES.put("push", "push the big artifact (layout → registry)");
    PHASES.put("pull", "pull it into a layout (verified, durable)");
    PHASES.put("mount", "registry → registry, same registry (mount)");
    PHASES.put("s4push", "push N × 4 KiB layers");
    PHASES.put("s4pull", "pull N × 4 KiB layers");
  }

  // ------------------------------------------------------------------ goals

  /**
   * Every goal of issues 19 (1–7), 16 (start-up), 15 (serve) and 14 (item 11) with its verdict.
   *
   * @param cells the CLI scenarios' aggregates
   * @param env the run's settings ({@code xmx}, {@code small_layers}, {@code serve.*} ...)
   * @param in the in-process set's aggregates by phase and library (empty when not run)
   * @param runs the raw runs {@code cells} was aggregated from: each comparison of two tools' times
   *     is also given round by round (a round runs both sides within a minute of each other, so the
   *     paired ratios show how much of a verdict near its line is drift between rounds); empty: no
   *     per-round figures. The verdict stays the ratio of the medians.
   */
  static List<Goal> goals(
      Map<String, Map<String, Cell>> cells,
      Properties env,
      Map<String, Map<String, InCell>> in,
      List<Report.Run> runs) {
    List<Goal> g = new ArrayList<>();
    // issue 19
    ratio(g, "19.1", "pull 1 GiB ≤ 1.0× jib-core", "s2", cells, runs, "jib-core", 1.0);
    ratio(g, "19.1", "pull 1 GiB ≤ 1.15× the curl floor", "s2", cells, runs, "curl", 1.15);
    ratio(
        g, "19.1", "pull 1 GiB as files ≤ 1.0× jib-core", "s2files", cells, runs, "jib-core", 1.0);
    ratio(
        g,
        "19.1",
        "pull 1 GiB as files ≤ 1.15× the curl floor",
        "s2files",
        cells,
        runs,
        "curl",
        1.15);
    ratio(g, "19.2", "push 1 GiB ≤ 1.0× jib-core", "s1", cells, runs, "jib-core", 1.0);
    ratio(g, "19.2", "push 1 GiB ≤ 1.1× the curl floor", "s1", cells, runs, "curl", 1.1);
    ratio(g, "19.3", "mount copy ≤ 1.0× jib-core", "s5", cells, runs, "jib-core", 1.0);
    rate(
        g,
        "19.4",
        "small push ≥ 0.9× the kept-alive curl floor's blobs/s",
        "s4push",
        cells,
        runs,
        "curl",
        0.9);
    rate(
        g,
        "19.4",
        "small push ≥ 1.5× oras-java's blobs/s",
        "s4push",
        cells,
        runs,
        "oras-java",
        1.5);
    rate(g, "19.4", "small pull ≥ skopeo's blobs/s", "s4pull", cells, runs, "skopeo", 1.0);
    for (String s : cells.keySet()) {
      Cell mine = cells.get(s).get("stevedore");
      Cell jib = cells.get(s).get("jib-core");
      if (mine == null || jib == null || jib.median() == null || s.startsWith("start")) {
        continue; // jib-core did not run or cannot do it: nothing to compare
      }
      String target = "≤ 1.5× jib-core's peak RSS";
      if (mine.rssMaxKb() == null || jib.rssMaxKb() == null || mine.ok() < mine.total()) {
        g.add(new Goal("19.5", "peak RSS", s, target, "–", Verdict.NOT_MEASURED));
      } else {
        double r = (double) mine.rssMaxKb() / jib.rssMaxKb();
        g.add(
            new Goal(
                "19.5",
                "peak RSS",
                s,
                target,
                String.format(
                    Locale.ROOT,
                    "%d MiB vs %d MiB: ×%.2f",
                    mine.rssMaxKb() / 1024,
                    jib.rssMaxKb() / 1024,
                    r),
                r <= 1.5 ? Verdict.MET : Verdict.MISSED));
      }
    }
    heap(g, cells, env);
    for (String s : List.of("s3", "s5", "s7one")) {
      Map<String, Cell> row = cells.getOrDefault(s, Map.of());
      Cell jib = row.get("jib-core");
      String peer = "jib-core";
      if (jib == null || jib.median() == null) {
        // jib-core cannot select a platform: the fastest peer that can stands in
        Optional<Cell> best =
            row.values().stream()
                .filter(c -> !c.tool().equals("stevedore") && !c.tool().equals("curl"))
                .filter(c -> c.median() != null && c.ok() == c.total())
                .min(Comparator.comparing(Cell::median));
        peer = best.map(Cell::tool).orElse("jib-core");
      }
      ratio(g, "19.6", "start-up-bound scenario ≤ 1.0× " + peer, s, cells, runs, peer, 1.0);
    }
    if (in.isEmpty()) {
      g.add(
          new Goal(
              "19.7",
              "in-process set, every phase and library",
              "in-process",
              "present",
              "not run",
              Verdict.NOT_MEASURED));
    } else {
      long complete =
          PHASES.keySet().stream()
              .filter(
                  p ->
                      InProcessTable.libraries().stream()
                          .allMatch(l -> in.getOrDefault(p, Map.of()).get(l) != null))
              .count();
      g.add(
          new Goal(
              "19.7",
              "in-process set, every phase and library",
              "in-process",
              "present",
              complete + " of " + PHASES.size() + " phases with all three libraries",
              complete == PHASES.size() ? Verdict.MET : Verdict.MISSED));
      inRatio(g, "19.2", "in-process push ≤ 1.0× jib-core", "push", in, "jib-core", 1.0, false);
      inRatio(g, "19.1", "in-process pull ≤ 1.0× jib-core", "pull", in, "jib-core", 1.0, false);
      inRatio(g, "19.3", "in-process mount ≤ 1.0× jib-core", "mount", in, "jib-core", 1.0, false);
      inRatio(
          g,
          "19.4",
          "in-process small push ≥ 1.5× oras-java's blobs/s",
          "s4push",
          in,
          "oras-java",
          1.5,
          true);
    }
    // issue 16
    for (String s : List.of("startlayout", "startreg")) {
      Cell c = cells.getOrDefault(s, Map.of()).get("stevedore");
      String what =
          s.equals("startlayout") ? "`resolve` on a layout" : "`resolve` on the loopback registry";
      if (c == null || c.median() == null) {
        g.add(
            new Goal(
                "16",
                what + " under 0.35 s wall",
                s,
                "median < 0.35 s",
                "–",
                Verdict.NOT_MEASURED));
      } else {
        g.add(
            new Goal(
                "16",
                what + " under 0.35 s wall",
                s,
                "median < 0.35 s",
                String.format(
                    Locale.ROOT,
                    "median of %d: %.3f s (the JVM alone: %s s)",
                    c.ok(),
                    c.median(),
                    env.getProperty("jvm_floor_s", "?")),
                c.median() < 0.35 && c.ok() == c.total() ? Verdict.MET : Verdict.MISSED));
      }
    }
    // issue 15
    for (String client : List.of("curl", "stevedore")) {
      serve(
          g,
          "push through serve ≤ docker-registry, client " + client,
          "s1serve",
          "s1",
          cells,
          runs,
          client);
      serve(
          g,
          "pull through serve ≤ docker-registry, client " + client,
          "s2serve",
          "s2",
          cells,
          runs,
          client);
    }
    // the servers alone: a client that neither hashes nor writes (s2's clients are most of its CPU)
    serve(
        g,
        "blob delivery of serve ≤ docker-registry's, curl into /dev/null",
        "s2getserve",
        "s2get",
        cells,
        runs,
        "curl");
    String serveHeap = env.getProperty("serve.heap_peak_mib");
    String serveRss = env.getProperty("serve.rss_kb");
    if (serveHeap == null || serveHeap.isBlank()) {
      g.add(
          new Goal(
              "15",
              "serve's heap under 128 MiB",
              "s1serve, s2serve",
              "< 128 MiB",
              "–",
              Verdict.NOT_MEASURED));
    } else {
      long heap = Long.parseLong(serveHeap.trim());
      g.add(
          new Goal(
              "15",
              "serve's heap under 128 MiB",
              "s1serve, s2serve",
              "< 128 MiB (run with -Xmx" + env.getProperty("xmx") + ")",
              "heap peak "
                  + heap
                  + " MiB; server peak RSS "
                  + kbToMib(serveRss)
                  + " MiB (docker-registry "
                  + kbToMib(env.getProperty("registry.rss_kb"))
                  + " MiB)",
              heap < 128 && "128m".equals(env.getProperty("xmx")) ? Verdict.MET : Verdict.MISSED));
    }
    // issue 14, item 11
    Cell s8 = cells.getOrDefault("s8", Map.of()).get("stevedore");
    String many = env.getProperty("many_manifests", "N");
    String target = "< 10 s under -Xmx128m";
    if (s8 == null || s8.median() == null) {
      g.add(
          new Goal(
              "14.11",
              many + " manifests into a layout",
              "s8",
              target,
              s8 == null ? "–" : s8.status(),
              s8 == null ? Verdict.NOT_MEASURED : Verdict.MISSED));
    } else {
      boolean xmx = "128m".equals(env.getProperty("xmx"));
      g.add(
          new Goal(
              "14.11",
              many + " manifests into a layout",
              "s8",
              target,
              String.format(
                  Locale.ROOT,
                  "%.2f s, -Xmx%s, heap peak %s MiB, RSS %s MiB",
                  s8.median(),
                  env.getProperty("xmx"),
                  s8.heapPeakMib() == null ? "?" : s8.heapPeakMib(),
                  s8.rssMaxKb() == null ? "?" : s8.rssMaxKb() / 1024),
              s8.median() < 10 && xmx && s8.ok() == s8.total() ? Verdict.MET : Verdict.MISSED));
    }
    return g;
  }

  private static String kbToMib(String kb) {
    return kb == null || kb.isBlank() ? "?" : String.valueOf(Long.parseLong(kb.trim()) / 1024);
  }

  private static Optional<Double> med(Map<String, Map<String, Cell>> cells, String s, String tool) {
    Cell c = cells.getOrDefault(s, Map.of()).get(tool);
    return c == null || c.median() == null || c.ok() < c.total()
        ? Optional.empty()
        : Optional.of(c.median());
  }

  /** Stevedore's time ÷ the peer's time at most {@code max}. */
  private static void ratio(
      List<Goal> g,
      String issue,
      String goal,
      String s,
      Map<String, Map<String, Cell>> cells,
      List<Report.Run> runs,
      String peer,
      double max) {
    String target = String.format(Locale.ROOT, "≤ %.2f× %s", max, peer);
    Optional<Double> a = med(cells, s, "stevedore");
    Optional<Double> b = med(cells, s, peer);
    if (a.isEmpty() || b.isEmpty()) {
      g.add(new Goal(issue, goal, s, target, missing(a, b, peer), Verdict.NOT_MEASURED));
      return;
    }
    double r = a.get() / b.get();
    g.add(
        new Goal(
            issue,
            goal,
            s,
            target,
            String.format(
                    Locale.ROOT, "Stevedore %.2f s, %s %.2f s: ×%.2f", a.get(), peer, b.get(), r)
                + perRound(runs, s, "stevedore", s, peer, false, "Stevedore"),
            r <= max + 1e-9 ? Verdict.MET : Verdict.MISSED));
  }

  /** Stevedore's rate (the peer's time ÷ Stevedore's time) at least {@code min} × the peer's. */
  private static void rate(
      List<Goal> g,
      String issue,
      String goal,
      String s,
      Map<String, Map<String, Cell>> cells,
      List<Report.Run> runs,
      String peer,
      double min) {
    String target = String.format(Locale.ROOT, "≥ %.2f× %s's rate", min, peer);
    Optional<Double> a = med(cells, s, "stevedore");
    Optional<Double> b = med(cells, s, peer);
    if (a.isEmpty() || b.isEmpty()) {
      g.add(new Goal(issue, goal, s, target, missing(a, b, peer), Verdict.NOT_MEASURED));
      return;
    }
    double r = b.get() / a.get();
    g.add(
        new Goal(
            issue,
            goal,
            s,
            target,
            String.format(
                    Locale.ROOT,
                    "Stevedore %.2f s, %s %.2f s: rate ×%.2f",
                    a.get(),
                    peer,
                    b.get(),
                    r)
                + perRound(runs, s, "stevedore", s, peer, true, "Stevedore"),
            r >= min - 1e-9 ? Verdict.MET : Verdict.MISSED));
  }

  private static String missing(Optional<Double> a, Optional<Double> b, String peer) {
    return (a.isEmpty()
            ? "Stevedore not measured"
            : String.format(Locale.ROOT, "Stevedore %.2f s", a.get()))
        + "; "
        + (b.isEmpty()
            ? peer + " not measured"
            : String.format(Locale.ROOT, "%s %.2f s", peer, b.get()));
  }

  /** A client through {@code stevedore serve} no slower than through docker-registry. */
  private static void serve(
      List<Goal> g,
      String goal,
      String viaServe,
      String viaRegistry,
      Map<String, Map<String, Cell>> cells,
      List<Report.Run> runs,
      String client) {
    Optional<Double> a = med(cells, viaServe, client);
    Optional<Double> b = med(cells, viaRegistry, client);
    String scenario = viaServe + " vs " + viaRegistry;
    if (a.isEmpty() || b.isEmpty()) {
      g.add(new Goal("15", goal, scenario, "≤ 1.00×", "–", Verdict.NOT_MEASURED));
      return;
    }
    double r = a.get() / b.get();
    g.add(
        new Goal(
            "15",
            goal,
            scenario,
            "≤ 1.00×",
            String.format(
                    Locale.ROOT, "serve %.2f s, docker-registry %.2f s: ×%.2f", a.get(), b.get(), r)
                + perRound(runs, viaServe, client, viaRegistry, client, false, "serve"),
            r <= 1.0 + 1e-9 ? Verdict.MET : Verdict.MISSED));
  }

  /**
   * The comparison of {@code toolA} in scenario {@code a} with {@code toolB} in {@code b} round by
   * round, for the rounds in which both ran ok: {@code "; per round ×0.97, ×1.04 (Stevedore faster
   * in 1 of 2)"}, empty with fewer than two such rounds. A ratio is A's time ÷ B's, or B's ÷ A's
   * for a rate ({@code inverse}); "faster" is A's time below B's either way.
   */
  static String perRound(
      List<Report.Run> runs,
      String a,
      String toolA,
      String b,
      String toolB,
      boolean inverse,
      String nameA) {
    Map<Integer, Double> mine = walls(runs, a, toolA);
    Map<Integer, Double> theirs = walls(runs, b, toolB);
    List<String> ratios = new ArrayList<>();
    int faster = 0;
    for (Map.Entry<Integer, Double> e : mine.entrySet()) {
      Double other = theirs.get(e.getKey());
      if (other == null) {
        continue;
      }
      double r = inverse ? other / e.getValue() : e.getValue() / other;
      ratios.add(String.format(Locale.ROOT, "×%.2f", r));
      if (e.getValue() < other) {
        faster++;
      }
    }
    if (ratios.size() < 2) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "; per round %s (%s faster in %d of %d)",
        String.join(", ", ratios),
        nameA,
        faster,
        ratios.size());
  }

  /** Wall time by round of the ok runs of one scenario × tool, rounds in order. */
  private static Map<Integer, Double> walls(List<Report.Run> runs, String scenario, String tool) {
    Map<Integer, Double> byRound = new java.util.TreeMap<>();
    for (Report.Run run : runs) {
      if (run.scenario().equals(scenario)
          && run.tool().equals(tool)
          && "ok".equals(run.status())
          && run.wall() != null) {
        byRound.put(run.round(), run.wall());
      }
    }
    return byRound;
  }

  private static void heap(List<Goal> g, Map<String, Map<String, Cell>> cells, Properties env) {
    List<Cell> mine =
        cells.values().stream()
            .map(m -> m.get("stevedore"))
            .filter(c -> c != null && !c.status().equals("n/a"))
            .toList();
    if (mine.isEmpty()) {
      g.add(
          new Goal(
              "19.5",
              "heap under 128 MiB at any size",
              "all",
              "every run completes under -Xmx128m",
              "–",
              Verdict.NOT_MEASURED));
      return;
    }
    long peak =
        mine.stream().map(Cell::heapPeakMib).filter(v -> v != null).max(Long::compare).orElse(0L);
    long live =
        mine.stream().map(Cell::heapLiveMib).filter(v -> v != null).max(Long::compare).orElse(0L);
    List<String> failed =
        mine.stream().filter(c -> c.ok() < c.total()).map(Cell::scenario).toList();
    boolean ok = failed.isEmpty() && "128m".equals(env.getProperty("xmx"));
    g.add(
        new Goal(
            "19.5",
            "heap under 128 MiB at any size",
            "all",
            "every run completes under -Xmx128m",
            "-Xmx"
                + env.getProperty("xmx")
                + "; largest heap peak / live "
                + peak
                + " / "
                + live
                + " MiB"
                + (failed.isEmpty() ? "" : "; not all runs ok in " + String.join(", ", failed)),
            ok ? Verdict.MET : Verdict.MISSED));
  }

  private static void inRatio(
      List<Goal> g,
      String issue,
      String goal,
      String phase,
      Map<String, Map<String, InCell>> in,
      String peer,
      double bound,
      boolean rate) {
    InCell a = in.getOrDefault(phase, Map.of()).get("stevedore");
    InCell b = in.getOrDefault(phase, Map.of()).get(peer);
    String target =
        String.format(Locale.ROOT, rate ? "≥ %.2f× %s's rate" : "≤ %.2f× %s", bound, peer);
    if (a == null
        || b == null
        || a.median() == null
        || b.median() == null
        || a.ok() < a.total()
        || b.ok() < b.total()) {
      g.add(new Goal(issue, goal, "in-process " + phase, target, "–", Verdict.NOT_MEASURED));
      return;
    }
    double r = rate ? b.median() / a.median() : a.median() / b.median();
    boolean met = rate ? r >= bound - 1e-9 : r <= bound + 1e-9;
    g.add(
        new Goal(
            issue,
            goal,
            "in-process " + phase,
            target,
            String.format(
                Locale.ROOT, "Stevedore %.3f s, %s %.3f s: ×%.2f", a.median(), peer, b.median(), r),
            met ? Verdict.MET : Verdict.MISSED));
  }

  static String goalsTable(List<Goal> goals) {
    StringBuilder t =
        new StringBuilder(
            "| issue | goal | scenario | target | measured | verdict |\n|---|---|---|---|---|---|\n");
    for (Goal g : goals) {
      t.append("| ")
          .append(g.issue())
          .append(" | ")
          .append(g.goal())
          .append(" | ")
          .append(g.scenario())
          .append(" | ")
          .append(g.target())
          .append(" | ")
          .append(g.measured().replace("|", "\\|"))
          .append(" | ")
          .append(g.verdict().text)
          .append(" |\n");
    }
    long met = goals.stream().filter(x -> x.verdict() == Verdict.MET).count();
    long missed = goals.stream().filter(x -> x.verdict() == Verdict.MISSED).count();
    long none = goals.size() - met - missed;
    t.append("\n")
        .append(met)
        .append(" met, ")
        .append(missed)
        .append(" missed, ")
        .append(none)
        .append(
            " not measured. Ratios are Stevedore ÷ peer for times (≤ target is met) and Stevedore's rate ÷ the peer's for rates (≥ target is met). The verdict is the ratio of the medians; the per-round ratios beside it are the same ratio in each round in which both sides ran, the two measured within a minute of each other.\n");
    return t.toString();
  }

  // ------------------------------------------------------------------ in-process set

  static List<InRun> readInProcess(Path tsv) throws IOException {
    List<InRun> runs = new ArrayList<>();
    if (!Files.exists(tsv)) {
      return runs;
    }
    List<String> lines = Files.readAllLines(tsv);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.split("\t", -1);
      if (f.length < 7) {
        continue;
      }
      runs.add(
          new InRun(
              f[0],
              f[1],
              Integer.parseInt(f[2]),
              f[3],
              f[4].isBlank() ? null : Double.parseDouble(f[4]),
              f[5].isBlank() ? null : Double.parseDouble(f[5]),
              f[6]));
    }
    return runs;
  }

  /** Aggregates the timed copies (repetition 0 is the warm-up and is left out). */
  static Map<String, Map<String, InCell>> aggregateInProcess(List<InRun> runs) {
    Map<String, Map<String, InCell>> out = new LinkedHashMap<>();
    for (String phase : PHASES.keySet()) {
      for (String lib : InProcessTable.libraries()) {
        List<InRun> mine =
            runs.stream()
                .filter(r -> r.phase().equals(phase) && r.library().equals(lib) && r.rep() > 0)
                .toList();
        if (mine.isEmpty()) {
          continue;
        }
        List<InRun> ok =
            mine.stream().filter(r -> r.status().equals("ok") && r.wall() != null).toList();
        List<Double> walls = ok.stream().map(InRun::wall).sorted().toList();
        List<Double> cpu = ok.stream().map(InRun::cpu).filter(v -> v != null).sorted().toList();
        List<String> notes =
            runs.stream()
                .filter(r -> r.phase().equals(phase) && r.library().equals(lib))
                .map(
                    r ->
                        r.note().isBlank()
                            ? ""
                            : (r.rep() == 0 ? "warm-up: " : "") + r.status() + ": " + r.note())
                .filter(n -> !n.isBlank())
                .distinct()
                .toList();
        out.computeIfAbsent(phase, k -> new LinkedHashMap<>())
            .put(
                lib,
                new InCell(
                    phase,
                    lib,
                    ok.size(),
                    mine.size(),
                    Report.median(walls),
                    walls.isEmpty() ? null : walls.get(0),
                    walls.isEmpty() ? null : walls.get(walls.size() - 1),
                    Report.median(cpu),
                    notes));
      }
    }
    return out;
  }

  /** The in-process table: median wall time per phase and library, ratio to Stevedore. */
  static final class InProcessTable {
    private InProcessTable() {}

    static List<String> libraries() {
      return InProcess.LIBRARIES;
    }

    static String render(Map<String, Map<String, InCell>> in, Properties env) {
      StringBuilder t = new StringBuilder("| phase |");
      for (String lib : libraries()) {
        t.append(' ').append(lib).append(" |");
      }
      t.append("\n|---|");
      libraries().forEach(l -> t.append("---|"));
      t.append('\n');
      List<String> notes = new ArrayList<>();
      for (var e : in.entrySet()) {
        t.append("| ")
            .append(
                PHASES.get(e.getKey()).replace("N ×", env.getProperty("small_layers", "N") + " ×"))
            .append(" |");
        InCell ref = e.getValue().get("stevedore");
        for (String lib : libraries()) {
          InCell c = e.getValue().get(lib);
          String cell;
          if (c == null) {
            cell = "–";
          } else if (c.median() == null) {
            cell = c.notes().stream().anyMatch(n -> n.startsWith("n/a")) ? "n/a" : "**failed**";
          } else {
            cell =
                String.format(Locale.ROOT, "%.3f (%.3f–%.3f)", c.median(), c.min(), c.max())
                    + (ref != null && ref.median() != null && !lib.equals("stevedore")
                        ? String.format(Locale.ROOT, " ×%.2f", c.median() / ref.median())
                        : "")
                    + String.format(Locale.ROOT, ", CPU %.2f s", c.cpu() == null ? 0.0 : c.cpu())
                    + (c.ok() < c.total() ? " (" + c.ok() + "/" + c.total() + " ok)" : "");
          }
          t.append(' ').append(cell).append(" |");
          if (c != null && !c.notes().isEmpty()) {
            notes.add(e.getKey() + " " + lib + ": " + String.join("; ", c.notes()));
          }
        }
        t.append('\n');
      }
      t.append(
          "\nCell: median wall seconds of the timed copies (min–max), ×ratio = library ÷ Stevedore (above 1: "
              + "Stevedore faster), CPU = the JVM's process CPU during the copy (all threads). One JVM (-Xmx"
              + env.getProperty("xmx")
              + ") for all three libraries; each keeps its client for the whole set; one warm-up copy per phase "
              + "and library, then "
              + env.getProperty("in_process_reps", "?")
              + " timed, the libraries taking turns in a rotated order. Every copy is checked (the "
              + "destination's tagged root has the source's digest). \"Pull to files\" is measured as the pull "
              + "into a layout (files named by digest, verified and fsync'd).\n");
      if (!notes.isEmpty()) {
        t.append('\n');
        notes.forEach(n -> t.append("- ").append(n.replace("|", "\\|")).append('\n'));
      }
      return t.toString();
    }
  }

  // ------------------------------------------------------------------ baseline

  /** The first {@code baseline-*.json} in the results directory, if any. */
  static Optional<Path> baselineFile(Path results) throws IOException {
    if (!Files.isDirectory(results)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(results)) {
      return s.filter(p -> p.getFileName().toString().matches("baseline-.*\\.json"))
          .sorted()
          .findFirst();
    }
  }

  /** Stevedore's median per scenario in a former run's latest.json. */
  static Map<String, Double> baselineMedians(Path json) throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    JsonNode root = JSON.readTree(json.toFile());
    for (JsonNode r : root.path("results")) {
      if (r.path("tool").asText().equals("stevedore") && r.path("median").isNumber()) {
        out.put(r.path("scenario").asText(), r.path("median").asDouble());
      }
    }
    return out;
  }

  static String baselineTable(
      Map<String, Map<String, Cell>> cells, Map<String, Double> base, String name) {
    StringBuilder t =
        new StringBuilder(
            "| scenario | Stevedore then ("
                + name
                + ") | Stevedore now | now ÷ then |\n|---|---|---|---|\n");
    for (String s : Report.SCENARIOS.keySet()) {
      Double then = base.get(s);
      Cell c = cells.getOrDefault(s, Map.of()).get("stevedore");
      Double now = c == null ? null : c.median();
      if (then == null && now == null) {
        continue;
      }
      t.append("| ")
          .append(s)
          .append(" | ")
          .append(then == null ? "– (new)" : String.format(Locale.ROOT, "%.2f s", then))
          .append(" | ")
          .append(
              now == null
                  ? (c == null ? "–" : c.status())
                  : String.format(Locale.ROOT, "%.2f s", now))
          .append(" | ")
          .append(
              then == null || now == null ? "–" : String.format(Locale.ROOT, "×%.2f", now / then))
          .append(" |\n");
    }
    t.append(
        "\nThe baseline's data sizes are those of its own run (full: 4 × 256 MiB, 1,000 × 4 KiB); a smoke run's "
            + "figures are not comparable with it.\n");
    return t.toString();
  }
}
