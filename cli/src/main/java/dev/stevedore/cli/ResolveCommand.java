package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Platform;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.ResolveOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore resolve TARGET}: the digest a tag names. */
@Command(name = "resolve", description = "Print the digest (or, with --format json, the descriptor) a reference names.")
final class ResolveCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TARGET", description = "A target with a tag or digest.")
  String target;

  @Option(names = "--platform", paramLabel = "os/arch[/variant]", description = "Resolve this platform's manifest of an index.")
  @Nullable String platform;

  @Override
  public Integer call() throws Exception {
    TargetRef ref = target(target);
    try (Stores stores = new Stores(options(), context())) {
      ReadOnlyGraphTarget store = stores.openSource(ref);
      ResolveOptions resolveOptions = ResolveOptions.defaults();
      if (platform != null) {
        resolveOptions = resolveOptions.withTargetPlatform(Platform.parse(platform));
      }
      Descriptor desc = Copy.resolve(store, ref.requireReference(), resolveOptions);
      Output output = output();
      output.result(desc.digest().toString());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("mediaType", desc.mediaType());
      json.put("digest", desc.digest().toString());
      json.put("size", desc.size());
      output.json(json);
    }
    return 0;
  }
}
