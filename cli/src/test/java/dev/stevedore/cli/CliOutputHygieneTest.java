package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exit codes and what reaches the terminal (issue 16's output hygiene; issue 14 items 7, 8, 12):
 * usage errors exit 2 in one line and a hint, nothing from outside is printed raw, logging comes
 * out as single {@code warning:} lines, no stack trace without --debug.
 */
class CliOutputHygieneTest {
  private static final String ESC = "\u001b";
  private static final String TITLE_ATTACK = ESC + "]0;PWNED\u0007";

  @TempDir Path dir;
  private CliRunner cli;
  private String layout;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("hello.txt"), "hello");
    cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    layout = "oci:" + dir.resolve("layout");
  }

  @Test
  void aTitleWithTerminalEscapesIsPrintedEscaped() throws Exception {
    String name = "evil" + TITLE_ATTACK + ".txt";
    Files.writeString(dir.resolve(name), "payload");
    assertThat(cli.run("push", layout + ":v1", name).exitCode()).isZero();
    CliRunner.Result pull = cli.run("pull", layout + ":v1", "-o", dir.resolve("out").toString());
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
    assertThat(pull.out())
        .contains("Downloaded evil\\x1b]0;PWNED\\x07.txt")
        .doesNotContain(ESC)
        .doesNotContain("\u0007");
    assertThat(pull.err()).doesNotContain(ESC);
  }

  @Test
  void anArtifactTypeWithEscapesIsRefusedAndEchoedEscaped() throws Exception {
    assertThat(cli.run("push", layout + ":v1", "hello.txt").exitCode()).isZero();
    CliRunner.Result attach =
        cli.run("attach", layout + ":v1", "--artifact-type", "application/vnd.x" + ESC + "[2J");
    assertThat(attach.exitCode()).isNotZero();
    assertThat(attach.err()).contains("application/vnd.x\\x1b[2J").doesNotContain(ESC);
  }

  @Test
  void anErrorMessageWithEscapesIsPrintedEscaped() {
    CliRunner.Result result =
        cli.run("resolve", "oci:" + dir.resolve("no" + TITLE_ATTACK + "where") + ":v1");
    assertThat(result.exitCode()).isEqualTo(Main.FAILED);
    assertThat(result.err()).contains("\\x1b]0;PWNED\\x07").doesNotContain(ESC);
  }

  @Test
  void anUnknownOptionIsOneLineAndTheHelpHint() {
    CliRunner.Result result = cli.run("copy", "--no-such-flag", layout + ":a", layout + ":b");
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err().lines()).hasSize(2);
    assertThat(result.err()).contains("--no-such-flag", "Run 'stevedore copy --help'");
    assertThat(result.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--image-spec=v9",
        "--concurrency=0",
        "--concurrency=-3",
        "--format=go-template",
        "--format=yaml",
        "--annotation=novalue",
        "--password-stdin"
      })
  void badValuesArePushUsageErrors(String flag) {
    CliRunner.Result result = cli.run("push", layout + ":v1", "hello.txt", flag);
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
    assertThat(result.err()).startsWith("Error: ").contains("--help").doesNotContain("\tat ");
  }

  @Test
  void goTemplateIsRefusedWithAHint() {
    CliRunner.Result result =
        cli.run("resolve", layout + ":v1", "--format", "go-template={{.digest}}");
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("not supported", "--format json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65536", "99999", "x"})
  void aPortOutsideTheRangeIsAUsageError(String port) {
    CliRunner.Result result = cli.run("resolve", "127.0.0.1:" + port + "/repo:v1");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(Main.USAGE);
    assertThat(result.err()).doesNotContain("reachable");
  }

  @Test
  void aPortOutsideTheRangeIsNamed() {
    CliRunner.Result result = cli.run("resolve", "127.0.0.1:70000/repo:v1");
    assertThat(result.err()).contains("70000", "1-65535");
    CliRunner.Result ls = cli.run("repo", "ls", "localhost:0");
    assertThat(ls.exitCode()).isEqualTo(Main.USAGE);
  }

  @Test
  void aPasswordOnTheCommandLineWarnsOnce() throws Exception {
    assertThat(cli.run("push", layout + ":v1", "hello.txt").exitCode()).isZero();
    CliRunner.Result result = cli.run("resolve", layout + ":v1", "-u", "someone", "-p", "hunter2");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(
            result
                .err()
                .lines()
                .filter(l -> l.startsWith("warning: ") && l.contains("--password-stdin")))
        .hasSize(1);
    assertThat(result.err()).doesNotContain("hunter2");
  }

  @Test
  void rootHelpListsEveryCommandAndHelpShowsOne() {
    CliRunner.Result help = cli.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains(
            "push",
            "pull",
            "copy",
            "attach",
            "discover",
            "resolve",
            "manifest",
            "blob",
            "repo",
            "login",
            "logout",
            "version",
            "demo");
    assertThat(cli.run("help", "copy").out()).contains("Usage: stevedore copy", "--from-username");
    CliRunner.Result typo = cli.run("pussh", layout + ":v1");
    assertThat(typo.exitCode()).isEqualTo(Main.USAGE);
    assertThat(typo.err()).contains("pussh");
  }

  @Test
  void passwordIsShownInHelpWithTheWarning() {
    CliRunner.Result help = cli.run("login", "--help");
    assertThat(help.out()).contains("-p, --password", "insecure", "--password-stdin");
  }

  @Test
  void warningsAreOneLineOncePerMessageWithoutStackTraces() throws Exception {
    StringWriter text = new StringWriter();
    PrintWriter err = new PrintWriter(text, true);
    try (AutoCloseable logging = CliLogging.install(err, false, false)) {
      System.Logger vertx = System.getLogger("io.vertx.core.impl.BlockedThreadChecker");
      Exception blocked = new Exception("Thread blocked");
      vertx.log(
          System.Logger.Level.WARNING,
          "Thread vert.x-eventloop-thread-0 has been blocked for 2000 ms",
          blocked);
      vertx.log(
          System.Logger.Level.WARNING,
          "Thread vert.x-eventloop-thread-0 has been blocked for 2000 ms",
          blocked);
      System.getLogger("dev.stevedore.content.remote.Registry")
          .log(
              System.Logger.Level.WARNING,
              "token fetch failed; run stevedore login" + ESC + "[31m");
      System.getLogger("dev.stevedore.content.remote.Registry")
          .log(System.Logger.Level.DEBUG, "not shown");
    }
    assertThat(text.toString().lines())
        .containsExactly(
            "warning: Thread vert.x-eventloop-thread-0 has been blocked for 2000 ms",
            "warning: token fetch failed; run stevedore login\\x1b[31m");
  }

  @Test
  void debugShowsStevedoreDebugLines() throws Exception {
    StringWriter text = new StringWriter();
    try (AutoCloseable logging = CliLogging.install(new PrintWriter(text, true), false, true)) {
      System.getLogger("dev.stevedore.content.remote.Registry")
          .log(System.Logger.Level.DEBUG, "--> HEAD /v2/");
    }
    assertThat(text.toString())
        .isEqualTo("debug: content.remote.Registry: --> HEAD /v2/" + System.lineSeparator());
  }

  @Test
  void aFailureNeverPrintsAStackTraceWithoutDebug() {
    CliRunner.Result result =
        cli.run("copy", layout + ":nothing", "oci:" + dir.resolve("b") + ":v1");
    assertThat(result.exitCode()).isEqualTo(Main.FAILED);
    assertThat(result.err()).doesNotContain("\tat ", "Exception");
  }

  @Test
  void permissionErrorsSayPermissionDeniedAndThePath() throws Exception {
    Path locked = Files.createDirectory(dir.resolve("locked"));
    chattr("+i", locked);
    try {
      CliRunner.Result result =
          cli.run("push", "oci:" + locked.resolve("layout") + ":v1", "hello.txt");
      assertThat(result.exitCode()).isEqualTo(Main.FAILED);
      assertThat(result.err())
          .contains("permission denied", locked.toString())
          .doesNotContain("\tat ");
    } finally {
      chattr("-i", locked);
    }
  }

  private static void chattr(String flag, Path path) throws Exception {
    Process p =
        new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("chattr " + flag + ": " + out).isZero();
  }
}
