package dev.stevedore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    Files.writeString(env, "xmx=128m\nsmall_layers=1000\nbig_bytes=1073741824\n");
    Path skipped = dir.resolve("skipped.tsv");
    Files.writeString(skipped, "skopeo\tnot installed\n");

    Report.main(new String[] {runs.toString(), env.toString(), skipped.toString(), dir.toString()});

    String md = Files.readString(dir.resolve("latest.md"));
    assertThat(md)
        .contains("| 1 push layout → empty repository | 2.00 (2.00–2.00) |")
        .contains("3.00 (3.00–3.00) ×1.50")
        .contains("oras-java ÷ Stevedore ×1.50 | met")
        .contains("skopeo: not installed");
    assertThat(Files.readString(dir.resolve("latest.json"))).contains("\"tool\" : \"oras-java\"");
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
