package dev.stevedore.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles a small consumer program against the Stevedore jars this project resolved and runs it
 * in a fresh JVM, once from the module path (its module-info requires Stevedore's modules, so every
 * descriptor must resolve: requires, exports, opens) and once from the class path.
 */
class ConsumerProgramTest {
  private static final String MAIN = """
      package consumer;

      import dev.stevedore.content.Descriptor;
      import dev.stevedore.content.MediaTypes;
      import dev.stevedore.content.PackManifestOptions;
      import dev.stevedore.content.PackManifestVersion;
      import dev.stevedore.content.Packer;
      import dev.stevedore.content.file.FileStore;
      import dev.stevedore.content.memory.MemoryStore;
      import dev.stevedore.content.ocilayout.OciLayoutStore;
      import dev.stevedore.content.remote.Registry;
      import dev.stevedore.copy.Copy;
      import dev.stevedore.copy.CopyOptions;
      import java.io.ByteArrayInputStream;
      import java.nio.charset.StandardCharsets;
      import java.nio.file.Path;
      import java.util.List;

      public final class Main {
        public static void main(String[] args) throws Exception {
          MemoryStore memory = new MemoryStore();
          byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
          Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER, hello);
          memory.push(layer, new ByteArrayInputStream(hello));
          Descriptor manifest = Packer.packManifest(memory, PackManifestVersion.V1_1, "application/vnd.consumer",
              PackManifestOptions.defaults().withLayers(List.of(layer))
                  .withManifestAnnotations(java.util.Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z")));
          memory.tag(manifest, "v1");
          OciLayoutStore layout = OciLayoutStore.open(Path.of(args[0]));
          Descriptor root = Copy.copy(memory, "v1", layout, "v1", CopyOptions.defaults());
          System.out.println("root=" + root.digest());
          System.out.println("resolved=" + layout.resolve("v1").digest());
          System.out.println("named=" + Copy.class.getModule().isNamed());
          System.out.println("modules=" + FileStore.class.getModule().getName() + "," + Registry.class.getModule().getName());
        }
      }
      """;
  private static final String MODULE_INFO = """
      module consumer {
        requires dev.stevedore.copy;
        requires dev.stevedore.content.memory;
        requires dev.stevedore.content.ocilayout;
        requires dev.stevedore.content.file;
        requires dev.stevedore.content.remote;
      }
      """;

  private static Path work;
  private static String path;

  @BeforeAll
  static void compile() throws IOException {
    work = Files.createDirectories(Path.of(System.getProperty("stevedore.workDir")));
    path = ResolvedClasspath.entries().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    write(work.resolve("src/modular/module-info.java"), MODULE_INFO);
    write(work.resolve("src/modular/consumer/Main.java"), MAIN);
    write(work.resolve("src/plain/consumer/Main.java"), MAIN);
    javac("--module-path", path, "-d", work.resolve("out/modular").toString(),
        work.resolve("src/modular/module-info.java").toString(), work.resolve("src/modular/consumer/Main.java").toString());
    javac("--class-path", path, "-d", work.resolve("out/plain").toString(),
        work.resolve("src/plain/consumer/Main.java").toString());
  }

  @Test
  void runsFromTheModulePath() throws Exception {
    List<String> out = java(work.resolve("layout-modular"), "--module-path",
        work.resolve("out/modular") + File.pathSeparator + path, "--module", "consumer/consumer.Main");
    assertThat(out).contains("named=true", "modules=dev.stevedore.content.file,dev.stevedore.content.remote");
    assertCopied(out);
  }

  @Test
  void runsFromTheClassPath() throws Exception {
    List<String> out = java(work.resolve("layout-plain"), "--class-path",
        work.resolve("out/plain") + File.pathSeparator + path, "consumer.Main");
    assertThat(out).contains("named=false");
    assertCopied(out);
  }

  private static void assertCopied(List<String> out) {
    String root = out.stream().filter(l -> l.startsWith("root=")).findFirst().orElseThrow().substring(5);
    assertThat(root).startsWith("sha256:");
    assertThat(out).contains("resolved=" + root);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static void javac(String... args) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = javac.run(null, null, err, args);
    assertThat(code).as("javac: " + err.toString(StandardCharsets.UTF_8)).isZero();
  }

  private static List<String> java(Path layout, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:auto");
    command.addAll(List.of(args));
    command.add(layout.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    List<String> lines;
    try (Stream<String> s = process.inputReader(StandardCharsets.UTF_8).lines()) {
      lines = s.toList();
    }
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("consumer finished").isTrue();
    assertThat(process.exitValue()).as("exit code; output: " + String.join("\n", lines)).isZero();
    return lines;
  }
}
