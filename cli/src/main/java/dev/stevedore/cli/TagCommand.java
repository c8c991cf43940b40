package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stevedore tag TARGET TAG...}: more tags for an artifact. */
@Command(
    name = "tag",
    description = "Give an artifact more tags in the same repository or layout (several at once).")
final class TagCommand extends BaseCommand {
  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(
      index = "0",
      paramLabel = "TARGET",
      description = "The artifact, with a tag or digest.")
  String target;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "TAG", description = "The new tags.")
  List<String> tags = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    TargetRef ref = target(target);
    for (String tag : tags) {
      if (!Reference.isValidTag(tag)) {
        throw new InvalidReferenceException(
            "invalid tag \"" + tag + "\": expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
      }
    }
    try (Stores stores = new Stores(options(), context())) {
      GraphTarget store = stores.openDestination(ref);
      Descriptor desc = store.resolve(ref.requireReference());
      Output output = output();
      List<String> tagged = new ArrayList<>();
      for (String tag : tags) {
        store.tag(desc, tag);
        output.line("Tagged " + tag);
        tagged.add(ref.location() + ":" + tag);
      }
      output.result("Digest: " + desc.digest());
      Map<String, Object> json = OrasJson.descriptor(ref.location(), desc.plain());
      json.put("referenceAsTags", tagged);
      output.json(new LinkedHashMap<>(json));
    }
    return 0;
  }
}
