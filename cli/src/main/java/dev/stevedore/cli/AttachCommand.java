package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.copy.Copy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore attach TARGET FILE... --artifact-type T}: a referrer of TARGET. */
@Command(name = "attach", description = "Attach files to an artifact as a referrer (a manifest whose subject is it).")
final class AttachCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TARGET", description = "The subject, with a tag or digest.")
  String target;

  @Parameters(index = "1..*", paramLabel = "FILE[:mediaType]", description = "Files of the referrer (none: annotations only).")
  List<String> files = new ArrayList<>();

  @Option(names = "--artifact-type", required = true, paramLabel = "TYPE", description = "The referrer's artifact type.")
  String artifactType;

  @Option(names = {"-a", "--annotation"}, paramLabel = "key=value", description = "A manifest annotation (repeatable).")
  List<String> annotations = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    TargetRef ref = target(target);
    Output output = output();
    try (Stores stores = new Stores(options(), context()); FileStore fileStore = FileStore.open(context().workingDirectory());
        Progress progress = progress()) {
      GraphTarget store = stores.openDestination(ref);
      Descriptor subject = store.resolve(ref.requireReference());
      List<Descriptor> layers = new ArrayList<>();
      for (String argument : files) {
        FileArguments.FileArgument file = FileArguments.parse(argument, context().workingDirectory());
        layers.add(fileStore.add(file.name(), file.mediaType(), file.path()));
      }
      Descriptor manifest = Packer.packManifest(fileStore, PackManifestVersion.V1_1, artifactType,
          PackManifestOptions.defaults().withSubject(subject.plain()).withLayers(layers)
              .withManifestAnnotations(FileArguments.annotations(annotations)));
      Copy.copyGraph(fileStore, store, manifest, graphOptions(0, progress));
      output.result("Attached to " + ref);
      output.result("Digest: " + manifest.digest());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("subject", subject.digest().toString());
      json.put("digest", manifest.digest().toString());
      json.put("artifactType", artifactType);
      output.json(json);
    }
    return 0;
  }
}
