package dev.stevedore.cli;

import dev.stevedore.content.InvalidReferenceException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code stevedore} command line: push, pull, copy, attach, discover and friends, over
 * registries ({@code host[:port]/repo[:tag|@digest]}), OCI layouts ({@code oci:PATH[:tag|@digest]})
 * and OCI archives ({@code oci-archive:FILE[:tag]}).
 *
 * <p>Exit codes: 0 success, 1 a failed operation, 2 a usage error.
 */
@Command(name = "stevedore", mixinStandardHelpOptions = true, versionProvider = Versions.class,
    usageHelpAutoWidth = true,
    description = "Move OCI artifacts between registries, OCI layouts and files.",
    subcommands = {PushCommand.class, PullCommand.class, CopyCommand.class, AttachCommand.class,
        DiscoverCommand.class, ResolveCommand.class, TagCommand.class, ManifestCommand.class, BlobCommand.class,
        RepoCommand.class, ServeCommand.class, LoginCommand.class, LogoutCommand.class, VersionCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Exit code of a failed operation. */
  static final int FAILED = 1;
  /** Exit code of a usage error. */
  static final int USAGE = 2;

  @Mixin final GlobalOptions options = new GlobalOptions();

  private final Context context;

  private Main(Context context) {
    this.context = context;
  }

  /**
   * What a command may use from its environment; tests run the CLI in-process with their own.
   *
   * @param stdin standard input
   * @param workingDirectory where relative file names are resolved
   * @param env environment variables
   */
  record Context(InputStream stdin, Path workingDirectory, Map<String, String> env) {
    static Context system() {
      return new Context(System.in, Path.of("").toAbsolutePath(), System.getenv());
    }
  }

  Context context() {
    return context;
  }

  GlobalOptions options() {
    return options;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "missing command; see stevedore --help");
  }

  /**
   * Runs the CLI.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = execute(args, out, err, Context.system());
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Every subcommand takes -h/--help (and -V/--version), as the root does. */
  private static void addHelpOptions(CommandLine command) {
    for (CommandLine sub : command.getSubcommands().values()) {
      if (!sub.getCommandSpec().mixinStandardHelpOptions()) {
        sub.getCommandSpec().mixinStandardHelpOptions(true);
      }
      addHelpOptions(sub);
    }
  }

  /**
   * Runs the CLI in-process.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @param context stdin, working directory, environment
   * @return the exit code
   */
  static int execute(String[] args, PrintWriter out, PrintWriter err, Context context) {
    Main main = new Main(context);
    CommandLine cli = new CommandLine(main);
    cli.setExecutionStrategy(parseResult -> {
      if (!main.options.debug) {
        return new CommandLine.RunLast().execute(parseResult);
      }
      AutoCloseable logging = DebugLogging.enable(err);
      try {
        return new CommandLine.RunLast().execute(parseResult);
      } finally {
        try {
          logging.close();
        } catch (Exception e) {
          // restoring logging cannot fail in a way worth reporting
        }
      }
    });
    addHelpOptions(cli);
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((failure, commandLine, parseResult) -> {
      err.println(ErrorMessages.describe(failure));
      if (main.options.debug) {
        failure.printStackTrace(err);
      } else if (!(failure instanceof InvalidReferenceException)) {
        err.println("(run with --debug for details)");
      }
      err.flush();
      return failure instanceof InvalidReferenceException || failure instanceof CommandLine.ParameterException
          ? USAGE : FAILED;
    });
    return cli.execute(args);
  }
}
