package dev.stevedore.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the CLI in-process, as a user would from a shell, and captures what it prints. */
final class CliRunner {
  /** What a run printed and returned. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path workingDirectory;
  private final Map<String, String> env;

  CliRunner(Path workingDirectory, Map<String, String> env) {
    this.workingDirectory = workingDirectory;
    this.env = env;
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  Result runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main.Context context =
        new Main.Context(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            workingDirectory,
            env);
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), context);
    return new Result(code, out.toString(), err.toString());
  }
}
