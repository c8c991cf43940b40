package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stevedore tag TARGET TAG...}: more tags for an artifact. */
@Command(name = "tag", description = "Give an artifact more tags in the same repository or layout.")
final class TagCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TARGET", description = "The artifact, with a tag or digest.")
  String target;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "TAG", description = "The new tags.")
  List<String> tags = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    TargetRef ref = target(target);
    for (String tag : tags) {
      if (!dev.stevedore.content.Reference.isValidTag(tag)) {
        throw new dev.stevedore.content.InvalidReferenceException("invalid tag \"" + tag
            + "\": expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
      }
    }
    try (Stores stores = new Stores(options(), context())) {
      GraphTarget store = stores.openDestination(ref);
      Descriptor desc = store.resolve(ref.requireReference());
      Output output = output();
      for (String tag : tags) {
        store.tag(desc, tag);
        output.result("Tagged " + tag);
      }
      output.json(java.util.Map.of("digest", desc.digest().toString(), "tags", tags));
    }
    return 0;
  }
}
