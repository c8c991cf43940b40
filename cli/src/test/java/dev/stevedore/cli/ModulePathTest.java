package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs on the module path: picocli reads the commands reflectively (the descriptor opens the
 * package to it), and a push to a layout goes through every module the command needs.
 */
class ModulePathTest {
  @TempDir Path dir;

  @Test
  void pushesAFileToALayoutAndResolvesItInTheNamedModule() throws Exception {
    assertThat(Main.class.getModule().getName()).isEqualTo("dev.stevedore.cli");
    Files.writeString(dir.resolve("README.txt"), "hello");
    Main.Context context = new Main.Context(InputStream.nullInputStream(), dir, Map.of());
    String layout = "oci:" + dir.resolve("layout");

    assertThat(
            run(
                context,
                "push",
                layout + ":v1",
                "README.txt",
                "--artifact-type",
                "application/vnd.x"))
        .isZero();
    StringWriter out = new StringWriter();
    int code =
        Main.execute(
            new String[] {"resolve", layout + ":v1"},
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true),
            context);
    assertThat(code).isZero();
    assertThat(out.toString()).contains("sha256:");
  }

  private static int run(Main.Context context, String... args) {
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), context);
    assertThat(err.toString()).as("stderr").doesNotContain("Exception");
    return code;
  }
}
