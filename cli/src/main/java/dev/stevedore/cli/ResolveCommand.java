package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ReadOnlyGraphTarget;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore resolve TARGET}: the digest a tag names. */
@Command(
    name = "resolve",
    description = "Print the digest (or, with --format json, the descriptor) a reference names.")
final class ResolveCommand extends BaseCommand {
  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(index = "0", paramLabel = "TARGET", description = "A target with a tag or digest.")
  String target;

  @Option(
      names = "--platform",
      paramLabel = "os/arch[/variant]",
      description = "Resolve this platform's manifest of an index.")
  @Nullable String platform;

  @Option(
      names = {"-l", "--full-reference"},
      description = "Print the full reference, NAME@DIGEST.")
  boolean fullReference;

  @Override
  public Integer call() throws Exception {
    TargetRef ref = target(target);
    try (Stores stores = new Stores(options(), context())) {
      ReadOnlyGraphTarget store = stores.openSource(ref);
      Descriptor desc = ManifestCommand.resolve(store, ref, platform);
      Output output = output();
      String prefix =
          ref.kind() == TargetRef.Kind.REGISTRY
              ? ""
              : ref.kind() == TargetRef.Kind.OCI_LAYOUT ? "oci:" : "oci-archive:";
      output.result(
          fullReference ? prefix + ref.location() + "@" + desc.digest() : desc.digest().toString());
      output.json(OrasJson.descriptor(ref.location(), desc));
    }
    return 0;
  }
}
