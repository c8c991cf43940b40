package dev.stevedore.content.ocilayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs skopeo and umoci for real; a missing tool fails the test with how to install it. */
final class Tools {
  private Tools() {}

  /** What a tool printed. */
  record Result(int exitCode, String stdout, String stderr) {}

  static String skopeo(String... args) throws IOException, InterruptedException {
    return runOk("skopeo", args);
  }

  static String umoci(String... args) throws IOException, InterruptedException {
    return runOk("umoci", args);
  }

  static Result run(String tool, String... args) throws IOException, InterruptedException {
    requireInstalled(tool);
    List<String> command = new ArrayList<>();
    command.add(tool);
    command.addAll(List.of(args));
    Path out = Files.createTempFile("tool-out", ".txt");
    Path err = Files.createTempFile("tool-err", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String runOk(String tool, String... args)
      throws IOException, InterruptedException {
    Result result = run(tool, args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          tool
              + " "
              + String.join(" ", args)
              + " failed with exit code "
              + result.exitCode()
              + ":\n"
              + result.stderr()
              + result.stdout());
    }
    return result.stdout();
  }

  private static void requireInstalled(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":", -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return;
      }
    }
    throw new AssertionError(
        tool + " is not installed; the interop tests need it: apt-get install skopeo umoci");
  }
}
