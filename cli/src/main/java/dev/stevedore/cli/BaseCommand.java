package dev.stevedore.cli;

import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.copy.CopyGraphOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: options, output, the context, target parsing. */
abstract class BaseCommand implements Callable<Integer> {
  // Injected by picocli before call().
  @SuppressWarnings("NullAway.Init")
  @Spec
  CommandSpec spec;

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

  /** Parses a target; {@code --oci-layout} makes a plain path a layout. */
  TargetRef target(String text) throws InvalidReferenceException {
    return TargetRef.parse(text, options().ociLayout);
  }

  Progress progress() {
    GlobalOptions options = options();
    return new Progress(
        !options.quiet && !options.noTty && !options.json() && Progress.terminal(), System.err);
  }

  /**
   * Blobs under this size are pushed to a registry without a {@code HEAD} first (see {@link
   * CopyGraphOptions#blindPushBelow}): 64 KiB, about what a round trip costs on a fast link.
   */
  static final long REGISTRY_BLIND_PUSH_BELOW = 64 * 1024;

  /**
   * Tunes copy options for the kind of destination: a registry gets small blobs pushed blind.
   *
   * @param graph the options
   * @param destination where the copy goes
   * @return the options for that destination
   */
  static CopyGraphOptions forDestination(CopyGraphOptions graph, TargetRef destination) {
    return destination.kind() == TargetRef.Kind.REGISTRY
        ? graph.withBlindPushBelow(REGISTRY_BLIND_PUSH_BELOW)
        : graph;
  }

  /**
   * Copy options with the progress listener and {@code --concurrency}.
   *
   * @param concurrency the flag's value, null when not given
   * @param progress the listener
   * @return the options
   * @throws UsageException when the value is not positive
   */
  static CopyGraphOptions graphOptions(@Nullable Integer concurrency, Progress progress) {
    CopyGraphOptions graph = CopyGraphOptions.defaults().withListener(progress);
    if (concurrency == null) {
      return graph;
    }
    if (concurrency < 1) {
      throw new UsageException("--concurrency must be at least 1, not " + concurrency);
    }
    return graph.withConcurrency(concurrency);
  }
}
