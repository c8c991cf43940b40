package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.testing.RegistryExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Vert.x instance made ahead at start-up for runs that name a registry. */
@Timeout(120)
class PreloadedTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @TempDir Path dir;

  @Test
  void registryReferencesAreToldFromLayoutsFilesAndFlags() {
    assertThat(Preloaded.namesRegistry("127.0.0.1:5000/repo:tag")).isTrue();
    assertThat(Preloaded.namesRegistry("registry.example/team/app@sha256:abc")).isTrue();
    assertThat(Preloaded.namesRegistry("localhost/repo")).isTrue();
    assertThat(Preloaded.namesRegistry("oci:/tmp/layout.d/x:tag")).isFalse();
    assertThat(Preloaded.namesRegistry("oci-archive:a.tar:tag")).isFalse();
    assertThat(Preloaded.namesRegistry("--registry-config=a.b/c")).isFalse();
    assertThat(Preloaded.namesRegistry("config/files.txt")).isFalse();
    assertThat(Preloaded.namesRegistry("/abs/path.txt")).isFalse();
    assertThat(Preloaded.namesRegistry("resolve")).isFalse();
  }

  @Test
  void inProcessRunsMakeNoInstanceAhead() {
    // only main() preloads; tests and embedders get the client's own instance
    assertThat(Preloaded.vertx()).isNull();
  }

  /** This test's class path, or its module path when the tests run on one (as a class path). */
  private static String classPath() {
    String modules = System.getProperty("jdk.module.path", "");
    String classes = System.getProperty("java.class.path", "");
    return modules.isEmpty() ? classes : modules + File.pathSeparator + classes;
  }

  /** The whole process, as a user runs it: main() preloads, the command uses the instance. */
  @Test
  void aProcessThatNamesARegistryRunsItsCommandOnThePreloadedInstance() throws Exception {
    Path src = dir.resolve("src");
    DemoCommand.writeSample(src);
    String ref = REGISTRY.registry().hostPort() + "/preload/files:v1";
    Map<String, String> env = Map.of("DOCKER_CONFIG", dir.resolve("docker").toString());
    CliRunner.Result push = new CliRunner(src, env).run("push", ref, "README.txt");
    assertThat(push.exitCode()).as(push.toString()).isZero();

    Run preloaded = resolveInAProcess(ref);
    assertThat(preloaded.exit()).as(preloaded.err()).isZero();
    assertThat(preloaded.out().trim()).startsWith("sha256:");
    assertThat(preloaded.err()).contains("the Vert.x instance made at start-up");

    // the same run without the preload: the client makes its own, and the answer is the same
    Run plain = resolveInAProcess(ref, "-Dstevedore.preloadVertx=false");
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(plain.out()).isEqualTo(preloaded.out());
    assertThat(plain.err()).doesNotContain("the Vert.x instance made at start-up");
  }

  private record Run(int exit, String out, String err) {}

  /** {@code stevedore --debug resolve REF} in a JVM of its own, through {@link Main#main}. */
  private Run resolveInAProcess(String ref, String... jvmFlags) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmFlags));
    command.addAll(List.of("-cp", classPath(), Main.class.getName(), "--debug", "resolve", ref));
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out, Files.readString(err));
  }
}
