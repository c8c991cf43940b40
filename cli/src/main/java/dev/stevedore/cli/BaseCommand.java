package dev.stevedore.cli;

import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.copy.CopyGraphOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: options, output, the context, target parsing. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  Main main() {
    return (Main) spec.root().userObject();
  }

  GlobalOptions options() {
    return main().options();
  }

  Output output() {
    return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), options());
  }

  Main.Context context() {
    return main().context();
  }

  Path resolvePath(String path) {
    return context().workingDirectory().resolve(path).normalize();
  }

  static TargetRef target(String text) throws InvalidReferenceException {
    return TargetRef.parse(text);
  }

  Progress progress() {
    return new Progress(!options().quiet && !options().json() && Progress.terminal(), System.err);
  }

  static CopyGraphOptions graphOptions(int concurrency, Progress progress) {
    CopyGraphOptions graph = CopyGraphOptions.defaults().withListener(progress);
    return concurrency > 0 ? graph.withConcurrency(concurrency) : graph;
  }
}
