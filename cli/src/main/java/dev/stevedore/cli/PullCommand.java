package dev.stevedore.cli;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore pull TARGET [-o DIR]}: an artifact's named files into a directory. */
@Command(name = "pull", description = {
    "Pull an artifact's files (blobs with a title) into a directory, like oras pull.",
    "Directories pushed as tar+gzip are unpacked."})
final class PullCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TARGET", description = "What to pull, with a tag or digest.")
  String target;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where to write the files (default: current directory).")
  @Nullable String outputDir;

  @Option(names = "--platform", paramLabel = "os/arch[/variant]", description = "Pick this platform of an index.")
  @Nullable String platform;

  @Option(names = "--concurrency", paramLabel = "N", description = "Transfers in flight at once.")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    TargetRef src = target(target);
    String ref = src.requireReference();
    Path out = outputDir == null ? context().workingDirectory() : resolvePath(outputDir);
    Files.createDirectories(out);
    Output output = output();
    try (Stores stores = new Stores(options(), context()); FileStore files = FileStore.open(out); Progress progress = progress()) {
      ReadOnlyGraphTarget from = stores.openSource(src);
      CopyOptions copyOptions = CopyOptions.defaults().withGraphOptions(graphOptions(concurrency, progress));
      if (platform != null) {
        copyOptions = copyOptions.withTargetPlatform(Platform.parse(platform));
      }
      Descriptor root = Copy.copy(from, ref, files, ref, copyOptions);
      List<String> written = titles(files, root);
      for (String name : written) {
        output.result("Downloaded " + name);
      }
      output.note(progress.summary());
      output.result("Pulled " + src);
      output.result("Digest: " + root.digest());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("reference", src.toString());
      json.put("digest", root.digest().toString());
      json.put("files", written);
      output.json(json);
    }
    return 0;
  }

  private static List<String> titles(FileStore files, Descriptor root) throws java.io.IOException {
    List<String> names = new ArrayList<>();
    if (!MediaTypes.OCI_MANIFEST.equals(root.mediaType()) && !MediaTypes.DOCKER_MANIFEST.equals(root.mediaType())) {
      return names;
    }
    Manifest manifest = Manifest.parse(Contents.fetchAll(files, root, Contents.DEFAULT_MAX_METADATA_BYTES));
    for (Descriptor layer : manifest.layers()) {
      String title = layer.annotation(Annotations.TITLE);
      if (title != null) {
        names.add(title);
      }
    }
    return names;
  }
}
