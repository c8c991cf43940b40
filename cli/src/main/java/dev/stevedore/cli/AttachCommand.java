package dev.stevedore.cli;

import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.copy.Copy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore attach TARGET FILE... --artifact-type T}: a referrer of TARGET. */
@Command(
    name = "attach",
    description = "Attach files to an artifact as a referrer (a manifest whose subject is it).")
final class AttachCommand extends BaseCommand {
  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(
      index = "0",
      paramLabel = "TARGET",
      description = "The subject, with a tag or digest.")
  String target;

  @Parameters(
      index = "1..*",
      paramLabel = "FILE[:mediaType]",
      description = "Files of the referrer (none: annotations only).")
  List<String> files = new ArrayList<>();

  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Option(
      names = "--artifact-type",
      required = true,
      paramLabel = "TYPE",
      description = "The referrer's artifact type.")
  String artifactType;

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
      names = "--export-manifest",
      paramLabel = "FILE",
      description = "Also write the referrer's manifest to FILE.")
  @Nullable Path exportManifest;

  @Option(
      names = "--platform",
      paramLabel = "os/arch[/variant]",
      description = "Attach to this platform's manifest of an index.")
  @Nullable String platform;

  @Option(
      names = "--disable-path-validation",
      description = "Attach absolute paths and paths with '..'.")
  boolean disablePathValidation;

  @Option(names = "--concurrency", paramLabel = "N", description = "Transfers in flight at once.")
  @Nullable Integer concurrency;

  @Override
  public Integer call() throws Exception {
    TargetRef ref = target(target);
    Output output = output();
    try (Stores stores = new Stores(options(), context());
        FileStore fileStore = FileStore.open(context().workingDirectory());
        Progress progress = progress()) {
      var graph = forDestination(graphOptions(concurrency, progress), ref);
      GraphTarget store = stores.openDestination(ref);
      Descriptor subject = ManifestCommand.resolve(store, ref, platform);
      Packing packing =
          Packing.of(
              fileStore,
              context().workingDirectory(),
              files,
              annotations,
              annotationFile,
              !disablePathValidation,
              output);
      PackManifestOptions pack =
          PackManifestOptions.defaults()
              .withSubject(subject.plain())
              .withLayers(packing.layers())
              .withManifestAnnotations(packing.manifestAnnotations());
      if (!packing.configAnnotations().isEmpty()) {
        pack = pack.withConfigAnnotations(packing.configAnnotations());
      }
      Descriptor manifest =
          Packer.packManifest(fileStore, PackManifestVersion.V1_1, artifactType, pack);
      if (exportManifest != null) {
        Packing.export(fileStore, manifest, resolvePath(exportManifest.toString()));
      }
      Copy.copyGraph(fileStore, store, manifest, graph);
      output.line("Attached to " + ref.location() + "@" + subject.digest());
      output.result("Digest: " + manifest.digest());
      Manifest packed =
          Manifest.parse(
              Contents.fetchAll(fileStore, manifest, Contents.DEFAULT_MAX_METADATA_BYTES));
      output.json(
          OrasJson.descriptor(
              ref.location(),
              manifest.withArtifactType(artifactType).withAnnotations(packed.annotations())));
    }
    return 0;
  }
}
