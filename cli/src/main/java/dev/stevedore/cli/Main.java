package dev.stevedore.cli;

import dev.stevedore.content.Index;
import dev.stevedore.content.InvalidReferenceException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
@Command(
    name = "stevedore",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    usageHelpAutoWidth = true,
    description = "Move OCI artifacts between registries, OCI layouts and files.")
public final class Main implements Runnable {
  /**
   * The subcommands, in help order. Registered lazily: a run builds (by reflection) only the
   * commands its arguments name, which is most of picocli's start-up cost; with none named (e.g.
   * {@code --help}) all of them.
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          PushCommand.class,
          PullCommand.class,
          CopyCommand.class,
          AttachCommand.class,
          DiscoverCommand.class,
          ResolveCommand.class,
          TagCommand.class,
          ManifestCommand.class,
          BlobCommand.class,
          RepoCommand.class,
          ServeCommand.class,
          LoginCommand.class,
          LogoutCommand.class,
          VersionCommand.class,
          DemoCommand.class,
          CommandLine.HelpCommand.class);

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
    throw new CommandLine.ParameterException(
        new CommandLine(this), "missing command; see stevedore --help");
  }

  /**
   * Runs the CLI.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    oneShotDefaults();
    preload(args);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = execute(args, out, err, Context.system());
    Preloaded.close();
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Settings of the libraries under the CLI for a process that runs one command and exits, each
   * applied unless given with {@code -D} (e.g. in {@code STEVEDORE_JAVA_OPTS}):
   *
   * <ul>
   *   <li>{@code vertx.disableDnsResolver}: host names are resolved by the JDK (the system's
   *       resolver, as curl and docker do) instead of Vert.x's own DNS client, whose set-up (UDP
   *       channels, hosts and resolv.conf parsing) costs more than a command's few look-ups;
   *   <li>{@code vertx.disableFileCPResolving}: no class path file cache (a temp directory made and
   *       deleted by every run), nothing here serves files from the class path;
   *   <li>{@code io.netty.jfr.enabled=false}: no Flight Recorder events from Netty's allocator,
   *       whose registration loads the JFR machinery (hundreds of classes) in every run.
   * </ul>
   */
  static void oneShotDefaults() {
    for (String[] setting :
        new String[][] {
          {"vertx.disableDnsResolver", "true"},
          {"vertx.disableFileCPResolving", "true"},
          {"io.netty.jfr.enabled", "false"},
        }) {
      if (System.getProperty(setting[0]) == null) {
        System.setProperty(setting[0], setting[1]);
      }
    }
  }

  /**
   * An OCI index with the fields a layout's index.json has: parsing it sets up Jackson's parser and
   * the index and descriptor readers, which a layout command needs first.
   */
  private static final byte[] SAMPLE_INDEX =
      ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
              + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
              + "\"digest\":\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
              + "\"size\":2,\"artifactType\":\"application/vnd.example\","
              + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"},"
              + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}")
          .getBytes(StandardCharsets.UTF_8);

  /**
   * Sets up, on a second thread while the main one builds the command line model (picocli: a third
   * of a command's start-up): the JDK's logging, Vert.x when an argument names a registry ({@link
   * Preloaded}), then the JSON reading of the OCI types (a few milliseconds since it streams). Best
   * effort: whatever the main thread needs before this thread is done, it waits for or does itself.
   * {@code -Dstevedore.preloadVertx=false} turns the Vert.x part off (to measure it).
   *
   * @param args the command line
   */
  static void preload(String[] args) {
    boolean registry = false;
    for (String arg : args) {
      registry |= Preloaded.namesRegistry(arg);
    }
    boolean vertx = registry && !"false".equals(System.getProperty("stevedore.preloadVertx"));
    if (vertx) {
      Preloaded.expectVertx();
    }
    Thread preload =
        new Thread(
            () -> {
              // the JDK's logging back-end (configuration file, root logger: a tenth of a layout
              // command's start-up), which CliLogging configures before the command runs
              CliLogging.quietLibraries();
              if (vertx) {
                Preloaded.makeVertx();
              }
              try {
                Index.parse(SAMPLE_INDEX);
              } catch (RuntimeException | java.io.IOException | LinkageError e) {
                // nothing is lost: the command sets up what it needs itself
              }
            },
            "stevedore-preload");
    preload.setDaemon(true);
    preload.start();
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
    registerSubcommands(cli, args);
    cli.setExecutionStrategy(
        parseResult -> {
          try (AutoCloseable logging =
              CliLogging.install(err, main.options.verbose, main.options.debug)) {
            main.options.format();
            return new CommandLine.RunLast().execute(parseResult);
          } catch (CommandLine.ParameterException | CommandLine.ExecutionException e) {
            throw e;
          } catch (Exception e) {
            throw new CommandLine.ExecutionException(
                deepest(parseResult).commandSpec().commandLine(),
                e.getMessage() == null ? e.toString() : e.getMessage(),
                e);
          }
        });
    addHelpOptions(cli);
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (failure, args2) -> {
          err.println("Error: " + Terminal.escape(String.valueOf(failure.getMessage()), true));
          err.println(
              "Run '"
                  + failure.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help' for usage.");
          if (main.options.debug) {
            failure.printStackTrace(err);
          }
          err.flush();
          return USAGE;
        });
    cli.setExecutionExceptionHandler(
        (failure, commandLine, parseResult) -> {
          if (failure instanceof UsageException) {
            err.println("Error: " + Terminal.escape(String.valueOf(failure.getMessage()), true));
            err.println(
                "Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return USAGE;
          }
          err.println(Terminal.escape(ErrorMessages.describe(failure), true));
          if (main.options.debug) {
            failure.printStackTrace(err);
          } else if (!(failure instanceof InvalidReferenceException)) {
            err.println("(run with --debug for details)");
          }
          err.flush();
          return failure instanceof InvalidReferenceException
                  || failure instanceof CommandLine.ParameterException
              ? USAGE
              : FAILED;
        });
    return cli.execute(args);
  }

  /**
   * Each subcommand's name and aliases, as its {@code @Command} says (MainTest checks): looked up
   * here rather than read from the annotations, which would parse sixteen of them and load every
   * nested command class at each start-up.
   */
  static final Map<String, Class<?>> NAMES =
      Map.ofEntries(
          Map.entry("push", PushCommand.class),
          Map.entry("pull", PullCommand.class),
          Map.entry("copy", CopyCommand.class),
          Map.entry("cp", CopyCommand.class),
          Map.entry("attach", AttachCommand.class),
          Map.entry("discover", DiscoverCommand.class),
          Map.entry("resolve", ResolveCommand.class),
          Map.entry("tag", TagCommand.class),
          Map.entry("manifest", ManifestCommand.class),
          Map.entry("blob", BlobCommand.class),
          Map.entry("repo", RepoCommand.class),
          Map.entry("serve", ServeCommand.class),
          Map.entry("login", LoginCommand.class),
          Map.entry("logout", LogoutCommand.class),
          Map.entry("version", VersionCommand.class),
          Map.entry("demo", DemoCommand.class),
          Map.entry("help", CommandLine.HelpCommand.class));

  private static void registerSubcommands(CommandLine cli, String[] args) {
    Set<Class<?>> named = new HashSet<>();
    boolean help = false;
    for (String arg : args) {
      Class<?> type = NAMES.get(arg);
      if (type == CommandLine.HelpCommand.class) {
        help = true;
      } else if (type != null) {
        named.add(type);
      }
    }
    boolean all = named.isEmpty() || help;
    for (Class<?> type : COMMANDS) {
      if (all || named.contains(type)) {
        cli.addSubcommand(type);
      }
    }
  }

  private static CommandLine.ParseResult deepest(CommandLine.ParseResult result) {
    CommandLine.ParseResult r = result;
    while (r.subcommand() != null) {
      r = r.subcommand();
    }
    return r;
  }
}
