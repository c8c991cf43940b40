package dev.stevedore.cli;

import dev.stevedore.server.RegistryServer;
import dev.stevedore.server.RepositoryProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training run of the class-data-sharing archive that the launchers make at install time: the
 * usual commands, in one JVM, on an OCI layout and on an in-process registry (127.0.0.1, a free
 * port), so that the classes a command loads are in the archive whatever it talks to. The launchers
 * run it with {@code -XX:DumpLoadedClassList} and dump the archive from that list.
 *
 * <p>Not a subcommand: {@code java -cp ... dev.stevedore.cli.Warmup DIR}, where DIR is an empty
 * scratch directory. Prints nothing; exits 0 when every command did what it should, 1 otherwise
 * (the list is usable either way).
 */
final class Warmup {
  private Warmup() {}

  /**
   * Runs the training commands.
   *
   * @param args the scratch directory
   * @throws IOException if the scratch directory cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Warmup DIR");
      System.exit(Main.USAGE);
    }
    Main.oneShotDefaults();
    System.exit(run(Path.of(args[0]).toAbsolutePath()) ? 0 : Main.FAILED);
  }

  /**
   * Runs the commands in {@code dir}.
   *
   * @param dir an empty scratch directory
   * @return whether every command succeeded (or failed where it should)
   * @throws IOException if the directory cannot be written
   */
  static boolean run(Path dir) throws IOException {
    Path files = dir.resolve("files");
    DemoCommand.writeSample(files);
    Main.Context context =
        new Main.Context(
            new ByteArrayInputStream(new byte[0]),
            files,
            Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    boolean ok = true;
    String layout = "oci:" + dir.resolve("layout");
    ok &= ran(context, 0, "--help");
    ok &= ran(context, 0, "version");
    ok &= ran(context, 0, "demo", "--dir", dir.resolve("demo").toString());
    ok &= ran(context, 0, "push", layout + ":v1", "README.txt", "config");
    for (String[] quick : quickCommands(layout)) {
      ok &= ran(context, 0, quick);
    }
    try (RegistryServer server =
        RegistryServer.builder()
            .host("127.0.0.1")
            .port(0)
            .repositories(RepositoryProvider.memory())
            .start()) {
      String repo = server.hostPort() + "/warmup/files";
      ok &= ran(context, 0, "push", repo + ":v1", "README.txt", "config");
      ok &= ran(context, 0, "attach", repo + ":v1", "--artifact-type", "application/vnd.warmup");
      ok &= ran(context, 0, "copy", "-r", layout + ":v1", server.hostPort() + "/warmup/copy:v1");
      ok &= ran(context, 0, "pull", repo + ":v1", "-o", dir.resolve("pulled").toString());
      for (String[] quick : quickCommands(repo)) {
        ok &= ran(context, 0, quick);
      }
      ok &= ran(context, 0, "repo", "ls", server.hostPort());
      ok &= ran(context, Main.FAILED, "resolve", repo + ":missing");
    }
    ok &= ran(context, Main.USAGE, "resolve", "no such/reference");
    ok &= ran(context, Main.USAGE, "--no-such-option");
    return ok;
  }

  /** The quick commands, whose start-up counts most, on one target. */
  private static List<String[]> quickCommands(String target) {
    List<String[]> commands = new ArrayList<>();
    commands.add(new String[] {"resolve", target + ":v1"});
    commands.add(new String[] {"resolve", "--format", "json", target + ":v1"});
    commands.add(new String[] {"tag", target + ":v1", "v2"});
    commands.add(new String[] {"manifest", "fetch", target + ":v2"});
    commands.add(new String[] {"discover", target + ":v1"});
    commands.add(new String[] {"repo", "tags", target});
    return commands;
  }

  private static boolean ran(Main.Context context, int expected, String... args) {
    PrintWriter out = discard();
    PrintWriter err = discard();
    return Main.execute(args, out, err, context) == expected;
  }

  /** A writer as the CLI's own (UTF-8 over a byte stream), to nowhere. */
  private static PrintWriter discard() {
    return new PrintWriter(
        new OutputStreamWriter(OutputStream.nullOutputStream(), StandardCharsets.UTF_8), true);
  }
}
