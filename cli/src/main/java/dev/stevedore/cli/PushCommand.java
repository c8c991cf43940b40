package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.Target;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore push TARGET FILE[:mediaType]...}: files and directories as an artifact. */
@Command(
    name = "push",
    description = {
      "Push files and directories (as tar+gzip) as an OCI artifact, like oras push.",
      "Several tags: TARGET:tag1,tag2. Prints the manifest digest."
    })
final class PushCommand extends BaseCommand {
  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(
      index = "0",
      paramLabel = "TARGET",
      description = "Where to push, e.g. localhost:5000/hello:v1 or oci:DIR:v1.")
  String target;

  @Parameters(
      index = "1..*",
      paramLabel = "FILE[:mediaType]",
      description = "Files and directories to push.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "--artifact-type",
      paramLabel = "TYPE",
      description = "The artifact type of the manifest.")
  @Nullable String artifactType;

  @Option(
      names = {"-a", "--annotation"},
      paramLabel = "key=value",
      description = "A manifest annotation (repeatable).")
  List<String> annotations = new ArrayList<>();

  @Option(
      names = "--annotation-file",
      paramLabel = "FILE",
      description =
          "Annotations as JSON: {\"$manifest\": {...}, \"$config\": {...}, \"FILE NAME\": {...}}.")
  @Nullable Path annotationFile;

  @Option(
      names = "--config",
      paramLabel = "FILE[:mediaType]",
      description = "A config file instead of the empty config.")
  @Nullable String config;

  @Option(
      names = "--export-manifest",
      paramLabel = "FILE",
      description = "Also write the pushed manifest to FILE.")
  @Nullable Path exportManifest;

  @Option(
      names = "--disable-path-validation",
      description =
          "Push absolute paths and paths with '..' (a pull refuses them"
              + " without --allow-path-traversal).")
  boolean disablePathValidation;

  @Option(
      names = "--image-spec",
      paramLabel = "v1.1|v1.0",
      description = "Manifest version (default: ${DEFAULT-VALUE}).")
  String imageSpec = "v1.1";

  @Option(names = "--concurrency", paramLabel = "N", description = "Transfers in flight at once.")
  @Nullable Integer concurrency;

  @Override
  public Integer call() throws Exception {
    TargetRef dst = target(target);
    PackManifestVersion version =
        switch (imageSpec) {
          case "v1.1", "1.1" -> PackManifestVersion.V1_1;
          case "v1.0", "1.0" -> PackManifestVersion.V1_0;
          default ->
              throw new UsageException(
                  "unknown --image-spec \"" + imageSpec + "\": use v1.1 or v1.0");
        };
    String type = artifactType;
    if (type == null && config == null && version == PackManifestVersion.V1_1) {
      type = "application/vnd.unknown.artifact.v1";
    }
    Output output = output();
    try (FileStore store = FileStore.open(context().workingDirectory());
        Stores stores = new Stores(options(), context());
        Progress progress = progress()) {
      var graph = forDestination(graphOptions(concurrency, progress), dst);
      Packing packing =
          Packing.of(
              store,
              context().workingDirectory(),
              files,
              annotations,
              annotationFile,
              !disablePathValidation,
              output);
      PackManifestOptions pack =
          PackManifestOptions.defaults()
              .withLayers(packing.layers())
              .withManifestAnnotations(packing.manifestAnnotations());
      if (config != null) {
        FileArguments.FileArgument file = FileArguments.parse(config, context().workingDirectory());
        Descriptor configDesc =
            store.add(
                file.name(),
                file.mediaType() == null
                    ? "application/vnd.unknown.config.v1+json"
                    : file.mediaType(),
                file.path());
        pack = pack.withConfig(configDesc.withAnnotations(packing.configAnnotations()));
      } else if (!packing.configAnnotations().isEmpty()) {
        pack = pack.withConfigAnnotations(packing.configAnnotations());
      }
      Descriptor manifest = Packer.packManifest(store, version, type, pack);
      if (exportManifest != null) {
        Packing.export(store, manifest, resolvePath(exportManifest.toString()));
      }
      Target to = stores.openDestination(dst);
      List<String> tags = dst.tags();
      if (!tags.isEmpty()) {
        store.tag(manifest, tags.get(0));
        Copy.copy(
            store, tags.get(0), to, tags.get(0), CopyOptions.defaults().withGraphOptions(graph));
        for (String tag : tags.subList(1, tags.size())) {
          to.tag(manifest, tag);
        }
      } else {
        Copy.copyGraph(store, to, manifest, graph);
      }
      output.note(progress.summary());
      output.line("Pushed " + dst);
      if (type != null) {
        output.line("ArtifactType: " + type);
      }
      output.result("Digest: " + manifest.digest());
      Descriptor described =
          manifest
              .withArtifactType(type)
              .withAnnotations(
                  dev.stevedore.content.Manifest.parse(
                          dev.stevedore.content.Contents.fetchAll(
                              store,
                              manifest,
                              dev.stevedore.content.Contents.DEFAULT_MAX_METADATA_BYTES))
                      .annotations());
      Map<String, Object> json = OrasJson.descriptor(dst.location(), described);
      List<String> referenceAsTags = new ArrayList<>();
      for (String tag : tags) {
        referenceAsTags.add(dst.location() + ":" + tag);
      }
      json.put("referenceAsTags", referenceAsTags);
      output.json(json);
    }
    return 0;
  }
}
