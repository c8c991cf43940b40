package dev.stevedore.cli;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Platform;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.copy.CopyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
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
    "Directories pushed as tar+gzip are unpacked. Blobs without a title (a container image's layers)",
    "are not downloaded; copy to oci:DIR to keep a whole image."})
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
      PullSelection selection = new PullSelection(CopyGraphOptions.DEFAULT_MAX_METADATA_BYTES);
      CopyOptions copyOptions = CopyOptions.defaults()
          .withGraphOptions(graphOptions(concurrency, progress).withFindSuccessors(selection));
      if (platform != null) {
        copyOptions = copyOptions.withTargetPlatform(Platform.parse(platform));
      }
      Descriptor root = Copy.copy(from, ref, files, ref, copyOptions);
      List<String> written = selection.titles();
      List<Descriptor> skipped = selection.skipped();
      if (written.isEmpty()) {
        throw new UnsupportedContentException("nothing to pull from " + src + ": none of its blobs has a file name ("
            + Annotations.TITLE + ")" + (skipped.isEmpty() ? "" : "; " + skipped.size()
            + " unnamed blob(s), e.g. a container image's layers and config, were not downloaded")
            + ". To keep everything, copy it to a layout: stevedore copy " + src + " oci:DIR");
      }
      for (String name : written) {
        output.result("Downloaded " + name);
      }
      output.note(progress.summary());
      if (!skipped.isEmpty()) {
        output.note("Skipped " + skipped.size() + " blob(s) without a file name (" + Annotations.TITLE
            + "), not downloaded; use stevedore copy " + src + " oci:DIR to keep them.");
      }
      output.result("Pulled " + src);
      output.result("Digest: " + root.digest());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("reference", src.toString());
      json.put("digest", root.digest().toString());
      json.put("files", written);
      json.put("skipped", skipped.stream().map(d -> d.digest().toString()).sorted().toList());
      output.json(json);
    }
    return 0;
  }
}
