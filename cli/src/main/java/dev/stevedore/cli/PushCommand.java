package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.Target;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore push TARGET FILE[:mediaType]...}: files and directories as an artifact. */
@Command(name = "push", description = {
    "Push files and directories (as tar+gzip) as an OCI artifact, like oras push.",
    "Prints the manifest digest."})
final class PushCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TARGET", description = "Where to push, e.g. localhost:5000/hello:v1 or oci:DIR:v1.")
  String target;

  @Parameters(index = "1..*", paramLabel = "FILE[:mediaType]", description = "Files and directories to push.")
  List<String> files = new ArrayList<>();

  @Option(names = "--artifact-type", paramLabel = "TYPE", description = "The artifact type of the manifest.")
  @Nullable String artifactType;

  @Option(names = {"-a", "--annotation"}, paramLabel = "key=value", description = "A manifest annotation (repeatable).")
  List<String> annotations = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE[:mediaType]", description = "A config file instead of the empty config.")
  @Nullable String config;

  @Option(names = "--image-spec", paramLabel = "v1.1|v1.0", description = "Manifest version (default: ${DEFAULT-VALUE}).")
  String imageSpec = "v1.1";

  @Option(names = "--concurrency", paramLabel = "N", description = "Transfers in flight at once.")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    TargetRef dst = target(target);
    PackManifestVersion version = switch (imageSpec) {
      case "v1.1", "1.1" -> PackManifestVersion.V1_1;
      case "v1.0", "1.0" -> PackManifestVersion.V1_0;
      default -> throw new IllegalArgumentException("unknown --image-spec \"" + imageSpec + "\": use v1.1 or v1.0");
    };
    String type = artifactType;
    if (type == null && config == null && version == PackManifestVersion.V1_1) {
      type = "application/vnd.unknown.artifact.v1";
    }
    Output output = output();
    try (FileStore files = FileStore.open(context().workingDirectory());
        Stores stores = new Stores(options(), context());
        Progress progress = progress()) {
      List<Descriptor> layers = new ArrayList<>();
      for (String argument : this.files) {
        FileArguments.FileArgument file = FileArguments.parse(argument, context().workingDirectory());
        layers.add(files.add(file.name(), file.mediaType(), file.path()));
        output.note("Added " + file.name());
      }
      PackManifestOptions pack = PackManifestOptions.defaults().withLayers(layers)
          .withManifestAnnotations(FileArguments.annotations(annotations));
      if (config != null) {
        FileArguments.FileArgument file = FileArguments.parse(config, context().workingDirectory());
        Descriptor configDesc = files.add(file.name(), file.mediaType() == null
            ? "application/vnd.unknown.config.v1+json" : file.mediaType(), file.path());
        pack = pack.withConfig(configDesc.withAnnotations(Map.of()));
      }
      Descriptor manifest = Packer.packManifest(files, version, type, pack);
      Target to = stores.openDestination(dst);
      String tag = dst.tag();
      if (tag != null) {
        files.tag(manifest, tag);
        Copy.copy(files, tag, to, tag, CopyOptions.defaults().withGraphOptions(graphOptions(concurrency, progress)));
      } else {
        Copy.copyGraph(files, to, manifest, graphOptions(concurrency, progress));
      }
      output.note(progress.summary());
      output.result("Pushed " + dst);
      if (type != null) {
        output.result("ArtifactType: " + type);
      }
      output.result("Digest: " + manifest.digest());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("reference", dst.toString());
      json.put("digest", manifest.digest().toString());
      json.put("mediaType", manifest.mediaType());
      json.put("size", manifest.size());
      json.put("artifactType", type);
      output.json(json);
    }
    return 0;
  }
}
