package dev.stevedore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Report.median(List.of(1.0, 2.0, 4.0, 10.0))).isEqualTo(3.0);
    assertThat(Report.median(List.of(1.0, 2.0, 4.0))).isEqualTo(2.0);
    assertThat(Report.median(List.of())).isNull();
  }

  @Test
  void failedRunsAreLeftOutOfTheMedianAndCounted() {
    List<Report.Run> runs =
        List.of(
            run(1, "stevedore", "ok", 2.0),
            run(2, "stevedore", "failed", 9.0),
            run(3, "stevedore", "ok", 4.0),
            new Report.Run(
                1, "s1", "curl", "n/a", null, null, null, null, null, null, null, "cannot", null,
                null));

    Map<String, Map<String, Report.Cell>> cells = Report.aggregate(runs);

    Report.Cell mine = cells.get("s1").get("stevedore");
    assertThat(mine.median()).isEqualTo(3.0);
    assertThat(mine.ok()).isEqualTo(2);
    assertThat(mine.total()).isEqualTo(3);
    assertThat(mine.status()).isEqualTo("failed");
    assertThat(cells.get("s1").get("curl").status()).isEqualTo("n/a");
  }

  @Test
  void writesMarkdownAndJsonFromTheRawRuns() throws Exception {
    Path runs = dir.resolve("runs.tsv");
    Files.writeString(
        runs,
        "round\tscenario\ttool\tstatus\twall_s\tuser_s\tsys_s\tmaxrss_kb\trequests\tconnections"
            + "\ttmp_kb\tnote\n"
            + "1\ts1\tstevedore\tok\t2.00\t1.0\t0.5\t102400\t12\t4\t0\t\n"
            + "1\ts1\toras-java\tok\t3.00\t1.0\t0.5\t102400\t18\t1\t0\t\n");
    Path env = dir.resolve("env.properties");
    Files.writeString(
        env,
        "xmx=128m\nsmall_layers=1000\nbig_bytes=1073741824\nstartup_runs=10\njvm_floor_s=0.052\n"
            + "floor.head_ms=0.31\n");
    Path skipped = dir.resolve("skipped.tsv");
    Files.writeString(skipped, "skopeo\tnot installed\n");

    Report.main(new String[] {runs.toString(), env.toString(), skipped.toString(), dir.toString()});

    String md = Files.readString(dir.resolve("latest.md"));
    assertThat(md)
        .contains("| 1 push layout → empty repository | 2.00 (2.00–2.00) |")
        .contains("3.00 (3.00–3.00) ×1.50")
        .contains("oras-java ÷ Stevedore ×1.50 | met")
        .contains("skopeo: not installed")
        .contains("## Goals of issues 19, 16, 15 and 14")
        .contains(
            "| 16 | `resolve` on a layout under 0.35 s wall | startlayout | median < 0.35 s | – | not measured |")
        .contains(
            "| machine-speed references | the JVM alone (`java -version` with the launcher's flags"
                + " for quick commands): 0.052 s, median of 10; the registry's HEAD of an existing"
                + " blob over a kept-alive connection: 0.31 ms, median of 200 |")
        .contains("## In-process set")
        .contains("No baseline-*.json in the results directory.");
    assertThat(Files.readString(dir.resolve("latest.json"))).contains("\"tool\" : \"oras-java\"");
  }

  private static Report.Run run(
      String scenario, String tool, String status, double wall, long rssKb) {
    return new Report.Run(
        1, scenario, tool, status, wall, 1.0, 0.1, rssKb, 10L, 2L, 0L, "", 40L, 8L);
  }

  private static Goals.Goal goal(
      List<Goals.Goal> goals, String issue, String scenario, String start) {
    return goals.stream()
        .filter(
            g ->
                g.issue().equals(issue)
                    && g.scenario().equals(scenario)
                    && g.goal().startsWith(start))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no goal " + issue + " " + scenario + " " + start));
  }

  @Test
  void goalsAreMetOrMissedByTheirRatiosAndNotMeasuredWithoutFigures() {
    List<Report.Run> runs =
        List.of(
            // pull: 2.0 vs jib 2.5 (met), vs curl 1.5 (x1.33 > 1.15: missed)
            run("s2", "stevedore", "ok", 2.0, 200_000),
            run("s2", "jib-core", "ok", 2.5, 100_000),
            run("s2", "curl", "ok", 1.5, 10_000),
            // small push: curl floor 9.0 s -> 0.9x rate needs <= 10 s; oras 15 s -> 1.5x needs <=
            // 10 s
            run("s4push", "stevedore", "ok", 10.0, 100_000),
            run("s4push", "curl", "ok", 9.0, 10_000),
            run("s4push", "oras-java", "ok", 14.0, 100_000),
            // start-up: 0.30 s met, 0.50 s missed
            run("startlayout", "stevedore", "ok", 0.30, 50_000),
            run("startreg", "stevedore", "ok", 0.50, 60_000),
            // serve: push slower than docker-registry, pull faster
            run("s1", "curl", "ok", 4.0, 10_000),
            run("s1serve", "curl", "ok", 5.0, 10_000),
            run("s2serve", "curl", "ok", 1.0, 10_000),
            // the servers' delivery into /dev/null: serve 0.45 s against 0.60 s
            run("s2get", "curl", "ok", 0.60, 10_000),
            run("s2getserve", "curl", "ok", 0.45, 10_000),
            // many manifests: 12 s > 10 s
            run("s8", "stevedore", "ok", 12.0, 150_000));
    Properties env = new Properties();
    env.setProperty("xmx", "128m");
    env.setProperty("many_manifests", "10000");
    env.setProperty("serve.heap_peak_mib", "90");
    env.setProperty("serve.rss_kb", "204800");
    env.setProperty("registry.rss_kb", "30000");
    env.setProperty("jvm_floor_s", "0.041");

    List<Goals.Goal> goals = Goals.goals(Report.aggregate(runs), env, Map.of(), runs);

    assertThat(goal(goals, "19.1", "s2", "pull 1 GiB ≤ 1.0× jib").verdict())
        .isEqualTo(Goals.Verdict.MET);
    assertThat(goal(goals, "19.1", "s2", "pull 1 GiB ≤ 1.15× the curl").verdict())
        .isEqualTo(Goals.Verdict.MISSED);
    assertThat(goal(goals, "19.2", "s1", "push 1 GiB ≤ 1.0× jib").verdict())
        .isEqualTo(Goals.Verdict.NOT_MEASURED);
    Goals.Goal floor = goal(goals, "19.4", "s4push", "small push ≥ 0.9×");
    assertThat(floor.verdict()).isEqualTo(Goals.Verdict.MET);
    assertThat(floor.measured()).contains("rate ×0.90");
    assertThat(goal(goals, "19.4", "s4push", "small push ≥ 1.5×").verdict())
        .isEqualTo(Goals.Verdict.MISSED);
    // peak RSS: 200 MiB vs jib's 100 MiB is x2 > 1.5
    Goals.Goal rss = goal(goals, "19.5", "s2", "peak RSS");
    assertThat(rss.verdict()).isEqualTo(Goals.Verdict.MISSED);
    assertThat(rss.measured()).contains("×2.00");
    assertThat(goal(goals, "16", "startlayout", "`resolve`").verdict())
        .isEqualTo(Goals.Verdict.MET);
    Goals.Goal startreg = goal(goals, "16", "startreg", "`resolve`");
    assertThat(startreg.verdict()).isEqualTo(Goals.Verdict.MISSED);
    assertThat(startreg.measured()).isEqualTo("median of 1: 0.500 s (the JVM alone: 0.041 s)");
    assertThat(
            goal(goals, "15", "s1serve vs s1", "push through serve ≤ docker-registry, client curl")
                .verdict())
        .isEqualTo(Goals.Verdict.MISSED);
    assertThat(
            goal(goals, "15", "s2serve vs s2", "pull through serve ≤ docker-registry, client curl")
                .verdict())
        .isEqualTo(Goals.Verdict.MET);
    assertThat(
            goal(
                    goals,
                    "15",
                    "s1serve vs s1",
                    "push through serve ≤ docker-registry, client stevedore")
                .verdict())
        .isEqualTo(Goals.Verdict.NOT_MEASURED);
    Goals.Goal delivery = goal(goals, "15", "s2getserve vs s2get", "blob delivery of serve");
    assertThat(delivery.verdict()).isEqualTo(Goals.Verdict.MET);
    assertThat(delivery.measured()).startsWith("serve 0.45 s, docker-registry 0.60 s: ×0.75");
    assertThat(goal(goals, "15", "s1serve, s2serve", "serve's heap").verdict())
        .isEqualTo(Goals.Verdict.MET);
    Goals.Goal many = goal(goals, "14.11", "s8", "10000 manifests");
    assertThat(many.verdict()).isEqualTo(Goals.Verdict.MISSED);
    assertThat(goal(goals, "19.7", "in-process", "in-process set").verdict())
        .isEqualTo(Goals.Verdict.NOT_MEASURED);
    assertThat(Goals.goalsTable(goals)).contains("| 14.11 | 10000 manifests into a layout | s8 |");
  }

  @Test
  void aHeapBoundOtherThan128MiBNeverMeetsTheManyManifestsGoal() {
    Properties env = new Properties();
    env.setProperty("xmx", "512m");
    List<Goals.Goal> goals =
        Goals.goals(
            Report.aggregate(List.of(run("s8", "stevedore", "ok", 5.0, 100_000))),
            env,
            Map.of(),
            List.of());
    assertThat(goal(goals, "14.11", "s8", "N manifests").verdict()).isEqualTo(Goals.Verdict.MISSED);
  }

  @Test
  void theInProcessSetLeavesTheWarmUpOutAndFeedsItsGoals() throws Exception {
    Path tsv = dir.resolve("inprocess.tsv");
    StringBuilder lines = new StringBuilder("phase\tlibrary\trep\tstatus\twall_s\tcpu_s\tnote\n");
    for (String phase : Goals.PHASES.keySet()) {
      // warm-up (rep 0) is slow and must not count
      lines.append(phase).append("\tstevedore\t0\tok\t50.0\t1.0\t\n");
      lines.append(phase).append("\tstevedore\t1\tok\t1.0\t1.0\t\n");
      lines.append(phase).append("\tstevedore\t2\tok\t3.0\t1.0\t\n");
      lines.append(phase).append("\tjib-core\t1\tok\t1.5\t1.0\t\n");
      lines.append(phase).append("\toras-java\t1\tok\t4.0\t1.0\t\n");
    }
    lines.append("push\tjib-core\t2\tfailed\t\t\tOutOfMemoryError\n");
    Files.writeString(tsv, lines);

    Map<String, Map<String, Goals.InCell>> in = Goals.aggregateInProcess(Goals.readInProcess(tsv));

    Goals.InCell mine = in.get("push").get("stevedore");
    assertThat(mine.median()).isEqualTo(2.0);
    assertThat(mine.total()).isEqualTo(2);
    assertThat(in.get("push").get("jib-core").ok()).isEqualTo(1);
    assertThat(in.get("push").get("jib-core").total()).isEqualTo(2);
    Properties env = new Properties();
    env.setProperty("xmx", "128m");
    List<Goals.Goal> goals = Goals.goals(Map.of(), env, in, List.of());
    assertThat(goal(goals, "19.7", "in-process", "in-process set").verdict())
        .isEqualTo(Goals.Verdict.MET);
    // 2.0 vs jib 1.5: x1.33 > 1.0
    assertThat(goal(goals, "19.1", "in-process pull", "in-process pull").verdict())
        .isEqualTo(Goals.Verdict.MISSED);
    // oras-java 4.0 / 2.0 = 2.0 >= 1.5
    assertThat(goal(goals, "19.4", "in-process s4push", "in-process small push").verdict())
        .isEqualTo(Goals.Verdict.MET);
    // a phase where a library failed a timed copy is not a measured ratio
    assertThat(goal(goals, "19.2", "in-process push", "in-process push").verdict())
        .isEqualTo(Goals.Verdict.NOT_MEASURED);
    assertThat(Goals.InProcessTable.render(in, env))
        .contains("| push the big artifact (layout → registry) | 2.000 (1.000–3.000), CPU 1.00 s |")
        .contains("(1/2 ok)")
        .contains("push jib-core: failed: OutOfMemoryError");
  }

  @Test
  void theBaselineTableComparesStevedoreThenAndNow() throws Exception {
    Path results = Files.createDirectories(dir.resolve("res"));
    Files.writeString(
        results.resolve("baseline-2026-11-23.json"),
        "{\"results\":[{\"scenario\":\"s1\",\"tool\":\"stevedore\",\"median\":5.0},"
            + "{\"scenario\":\"s1\",\"tool\":\"curl\",\"median\":4.0}]}");
    Path base = Goals.baselineFile(results).orElseThrow();
    Map<String, Double> medians = Goals.baselineMedians(base);
    assertThat(medians).containsExactly(Map.entry("s1", 5.0));

    String table =
        Goals.baselineTable(
            Report.aggregate(
                List.of(
                    run("s1", "stevedore", "ok", 4.0, 1), run("s8", "stevedore", "ok", 9.0, 1))),
            medians,
            "2026-11-23");

    assertThat(table)
        .contains("| s1 | 5.00 s | 4.00 s | ×0.80 |")
        .contains("| s8 | – (new) | 9.00 s | – |");
  }

  @Test
  void comparisonsAreAlsoGivenRoundByRoundAndTheVerdictStaysTheMediansRatio() {
    List<Report.Run> runs = new java.util.ArrayList<>();
    // pull through serve against docker-registry, curl as the client: medians 3.0 against 2.9
    // (x1.03, missed), but serve faster in 2 of the 3 rounds
    double[][] walls = {{2.6, 2.7}, {3.0, 3.1}, {3.5, 2.9}};
    for (int round = 1; round <= 3; round++) {
      runs.add(roundRun(round, "s2serve", "curl", "ok", walls[round - 1][0]));
      runs.add(roundRun(round, "s2", "curl", "ok", walls[round - 1][1]));
    }
    // the small push against the curl floor: a round without the floor is left out of the pairs
    runs.add(roundRun(1, "s4push", "stevedore", "ok", 8.0));
    runs.add(roundRun(1, "s4push", "curl", "ok", 4.0));
    runs.add(roundRun(2, "s4push", "stevedore", "ok", 6.0));
    runs.add(roundRun(3, "s4push", "stevedore", "ok", 5.0));
    runs.add(roundRun(3, "s4push", "curl", "ok", 5.0));
    // one round only: no per-round figures
    runs.add(roundRun(1, "s1", "stevedore", "ok", 4.0));
    runs.add(roundRun(1, "s1", "curl", "ok", 4.0));

    List<Goals.Goal> goals = Goals.goals(Report.aggregate(runs), new Properties(), Map.of(), runs);

    Goals.Goal pull =
        goal(goals, "15", "s2serve vs s2", "pull through serve ≤ docker-registry, client curl");
    assertThat(pull.verdict()).isEqualTo(Goals.Verdict.MISSED);
    assertThat(pull.measured())
        .isEqualTo(
            "serve 3.00 s, docker-registry 2.90 s: ×1.03;"
                + " per round ×0.96, ×0.97, ×1.21 (serve faster in 2 of 3)");
    Goals.Goal smallPush = goal(goals, "19.4", "s4push", "small push ≥ 0.9×");
    assertThat(smallPush.measured())
        .isEqualTo(
            "Stevedore 6.00 s, curl 4.50 s: rate ×0.75;"
                + " per round ×0.50, ×1.00 (Stevedore faster in 0 of 2)");
    assertThat(goal(goals, "19.2", "s1", "push 1 GiB ≤ 1.1×").measured())
        .isEqualTo("Stevedore 4.00 s, curl 4.00 s: ×1.00");
    // without the raw runs, the medians alone
    assertThat(
            goal(
                    Goals.goals(Report.aggregate(runs), new Properties(), Map.of(), List.of()),
                    "15",
                    "s2serve vs s2",
                    "pull through serve ≤ docker-registry, client curl")
                .measured())
        .isEqualTo("serve 3.00 s, docker-registry 2.90 s: ×1.03");
  }

  private static Report.Run roundRun(
      int round, String scenario, String tool, String status, double wall) {
    return new Report.Run(
        round, scenario, tool, status, wall, 1.0, 0.1, 1000L, 10L, 2L, 0L, "", 40L, 8L);
  }

  private static Report.Run run(int round, String tool, String status, double wall) {
    return new Report.Run(
        round, "s1", tool, status, wall, 1.0, 0.1, 1000L, 10L, 2L, 0L, "", 40L, 8L);
  }

  @Test
  void theDefaultsSectionGoesBeforeTheMicroBenchmarks() throws Exception {
    Path results = java.nio.file.Files.createDirectories(dir.resolve("results"));
    java.nio.file.Files.writeString(
        dir.resolve("DEFAULTS.md"), "## Defaults chosen\n\nconcurrency 5\n");
    String report =
        Report.withDefaults("# report\n\n## Micro-benchmarks (JMH)\n\ntable\n", results);
    org.assertj.core.api.Assertions.assertThat(report)
        .isEqualTo(
            "# report\n\n## Defaults chosen\n\nconcurrency 5\n\n## Micro-benchmarks (JMH)\n\ntable\n");
    org.assertj.core.api.Assertions.assertThat(
            Report.withDefaults("# no jmh\n", dir.resolve("elsewhere/results")))
        .isEqualTo("# no jmh\n");
  }
}
