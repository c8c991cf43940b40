package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged install (issue 16): the distribution archive, unpacked, runs from another directory
 * through a symlink, and as a user other than the one who built it. Runs after {@code package}
 * (failsafe), on the archive the build made.
 */
@Timeout(300)
class DistributionIT {
  private static Path work;
  private static Path home;
  private static Path link;

  /** What a run printed. */
  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void unpack() throws Exception {
    Path archive =
        Path.of(System.getProperty("stevedore.dist", "target/stevedore-dist.tar.gz"))
            .toAbsolutePath();
    assertThat(archive).as("the distribution archive (mvn package makes it)").exists();
    work = Files.createTempDirectory("stevedore-dist");
    open(work);
    Path install = Files.createDirectories(work.resolve("opt"));
    run(List.of("tar", "xzf", archive.toString(), "-C", install.toString()), work, Map.of());
    try (var dirs = Files.list(install)) {
      home = dirs.findFirst().orElseThrow();
    }
    Path bin = Files.createDirectories(work.resolve("elsewhere/bin"));
    link = Files.createSymbolicLink(bin.resolve("stevedore"), home.resolve("bin/stevedore"));
    try (var files = Files.walk(work)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
          open(p);
        }
      }
    }
  }

  private static void open(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Run run(List<String> command, Path cwd, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    builder.environment().putAll(env);
    Path out = Files.createTempFile("dist-out", ".txt");
    Path err = Files.createTempFile("dist-err", ".txt");
    builder
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process p = builder.start();
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    Run run =
        new Run(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  private static Run stevedore(Path cwd, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(link.toString());
    Collections.addAll(command, args);
    return run(command, cwd, Map.of());
  }

  private static Run asNobody(Path cwd, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", link.toString()));
    Collections.addAll(command, args);
    return run(command, cwd, Map.of("HOME", work.resolve("nobody-home").toString()));
  }

  @Test
  void theArchiveHoldsTheLauncherAndTheJars() throws Exception {
    assertThat(Files.isExecutable(home.resolve("bin/stevedore"))).isTrue();
    try (var jars = Files.list(home.resolve("lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("cli-") && n.endsWith(".jar"))
          .anyMatch(n -> n.startsWith("picocli-"));
    }
    Path zip = Path.of(System.getProperty("stevedore.dist", "x.tar.gz").replace(".tar.gz", ".zip"));
    try (ZipFile file = new ZipFile(zip.toFile())) {
      assertThat(file.stream().map(e -> e.getName()))
          .anyMatch(n -> n.endsWith("/bin/stevedore"))
          .anyMatch(n -> n.matches(".*/lib/cli-.*\\.jar"));
    }
  }

  @Test
  void runsThroughASymlinkFromAnotherDirectory() throws Exception {
    Path cwd = Files.createDirectories(work.resolve("project"));
    open(cwd);
    Run version = stevedore(cwd, "version");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.out()).contains("stevedore ");
    Files.writeString(cwd.resolve("hello.txt"), "hello");
    Run push = stevedore(cwd, "push", "oci:layout:v1", "hello.txt");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    // the launcher's JVM options for transfers must not talk on the command's streams
    assertThat(push.out() + push.err()).doesNotContain("CompileCommand");
    assertThat(push.out()).startsWith("Pushed oci:layout:v1");
    Run resolve = stevedore(cwd, "resolve", "oci:layout:v1");
    assertThat(resolve.exitCode()).as(resolve.toString()).isZero();
    assertThat(resolve.out().trim()).startsWith("sha256:");
    assertThat(resolve.err()).isEmpty();
  }

  @Test
  void aChangedJarMakesTheStartUpArchiveAgainOnce() throws Exception {
    Path cwd = Files.createDirectories(work.resolve("archive-check"));
    open(cwd);
    assertThat(stevedore(cwd, "version").exitCode()).isZero();
    Path archive = home.resolve("lib/stevedore.jsa");
    Path from = home.resolve("lib/stevedore.jsa.from");
    assertThat(archive).exists();
    String before = Files.readString(from);
    // an update unpacked over this one brings jars with their build times, older than the archive:
    // the JVM would ignore the archive, so the launcher must notice by more than times
    Path jar;
    try (var jars = Files.list(home.resolve("lib"))) {
      jar = jars.filter(p -> p.getFileName().toString().startsWith("picocli-")).findFirst().get();
    }
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 86_400_000L));
    FileTime made = Files.getLastModifiedTime(archive);

    Run run = stevedore(cwd, "version");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(Files.readString(from)).isNotEqualTo(before).contains(jar.toString());
    assertThat(Files.getLastModifiedTime(archive)).isNotEqualTo(made);
    FileTime remade = Files.getLastModifiedTime(archive);
    assertThat(stevedore(cwd, "version").exitCode()).isZero();
    assertThat(Files.getLastModifiedTime(archive)).as("made again only once").isEqualTo(remade);
  }

  @Test
  void aJvmThatCannotMakeTheArchiveIsAskedOnceNotOnEveryRun() throws Exception {
    Path cwd = Files.createDirectories(work.resolve("no-archive"));
    open(cwd);
    Path jdk = work.resolve("failing-jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Path dumps = jdk.resolve("dumps");
    String realJava = ProcessHandle.current().info().command().orElseThrow();
    Path java = jdk.resolve("bin/java");
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "for a in \"$@\"; do\n"
            + "  if [ \"$a\" = -Xshare:dump ]; then echo dump >>'"
            + dumps
            + "'; exit 1; fi\n"
            + "done\n"
            + "exec '"
            + realJava
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    for (int i = 0; i < 2; i++) {
      Run run = run(List.of(link.toString(), "version"), cwd, Map.of("JAVA_HOME", jdk.toString()));
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("stevedore ");
    }

    assertThat(Files.readAllLines(dumps)).as("dump attempts").hasSize(1);
    assertThat(home.resolve("lib/stevedore.jsa")).doesNotExist();
  }

  @Test
  void runsAsAnotherUserAndSaysPermissionDenied() throws Exception {
    Path cwd = Files.createDirectories(work.resolve("shared"));
    Files.setPosixFilePermissions(cwd, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(
        Files.createDirectories(work.resolve("nobody-home")),
        PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(cwd.resolve("public.txt"), "for everyone");
    Run push = asNobody(cwd, "push", "oci:" + cwd.resolve("layout") + ":v1", "public.txt");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    Run again = asNobody(cwd, "resolve", "oci:" + cwd.resolve("layout") + ":v1");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.err()).isEmpty();
    Path secret = cwd.resolve("secret.txt");
    Files.writeString(secret, "root only");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Run denied = asNobody(cwd, "push", "oci:" + cwd.resolve("layout") + ":v2", "secret.txt");
    assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(1);
    assertThat(denied.err())
        .contains("permission denied", secret.toString())
        .doesNotContain("\tat ");
  }
}
