package dev.stevedore.cli;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.content.file.FileStoreOptions;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.copy.CopyOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore pull TARGET [-o DIR]}: an artifact's named files into a directory. */
@Command(
    name = "pull",
    description = {
      "Pull an artifact's files (blobs with a title) into a directory, like oras pull.",
      "Directories pushed as tar+gzip are unpacked. Blobs without a title (a container image's layers)",
      "are not downloaded; copy to oci:DIR to keep a whole image."
    })
final class PullCommand extends BaseCommand {
  /** oras-go's annotation on a layer that is a packed directory. */
  private static final String UNPACK = "io.deis.oras.content.unpack";

  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(
      index = "0",
      paramLabel = "TARGET",
      description = "What to pull, with a tag or digest.")
  String target;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description = "Where to write the files (default: current directory).")
  @Nullable String outputDir;

  @Option(
      names = "--platform",
      paramLabel = "os/arch[/variant]",
      description = "Pick this platform of an index.")
  @Nullable String platform;

  @Option(
      names = "--allow-path-traversal",
      description =
          "Write files whose titles are absolute or hold '..'" + " (outside the output directory).")
  boolean allowPathTraversal;

  @Option(
      names = "--keep-old-files",
      description = "Fail instead of replacing files that already exist.")
  boolean keepOldFiles;

  @Option(
      names = "--include-subject",
      description = "Also pull the subject of the artifact, recursively.")
  boolean includeSubject;

  @Option(names = "--concurrency", paramLabel = "N", description = "Transfers in flight at once.")
  @Nullable Integer concurrency;

  @Option(
      names = "--max-unpack-size",
      paramLabel = "BYTES",
      description =
          "Stop unpacking a directory layer past this many bytes (default: 16 GiB; suffixes k, m, g);"
              + " nothing of the partial tree is kept.")
  @Nullable String maxUnpackSize;

  @Option(
      names = "--max-unpack-ratio",
      paramLabel = "N",
      description =
          "Stop unpacking a directory layer past N times its compressed size (default: 1000).")
  @Nullable Long maxUnpackRatio;

  @Override
  public Integer call() throws Exception {
    TargetRef src = target(target);
    String ref = src.requireReference();
    Path out = outputDir == null ? context().workingDirectory() : resolvePath(outputDir);
    Files.createDirectories(out);
    Output output = output();
    FileStoreOptions.Builder fileBuilder =
        FileStoreOptions.builder()
            .allowPathTraversalOnWrite(allowPathTraversal)
            .disableOverwrite(keepOldFiles);
    if (maxUnpackSize != null) {
      fileBuilder.maxUnpackedBytes(byteSize("--max-unpack-size", maxUnpackSize));
    }
    if (maxUnpackRatio != null) {
      if (maxUnpackRatio < 1) {
        throw new UsageException("--max-unpack-ratio must be at least 1, not " + maxUnpackRatio);
      }
      fileBuilder.maxUnpackRatio(maxUnpackRatio);
    }
    FileStoreOptions fileOptions = fileBuilder.build();
    try (Stores stores = new Stores(options(), context());
        FileStore files = FileStore.open(out, fileOptions);
        Progress progress = progress()) {
      ReadOnlyGraphTarget from = stores.openSource(src);
      // a pre-copy decision (as oras pull): only titled blobs are downloaded, and an artifact's
      // subject only with --include-subject
      PullSelection selection = new PullSelection(CopyGraphOptions.DEFAULT_MAX_METADATA_BYTES);
      var graph = graphOptions(concurrency, progress).withFindSuccessors(selection);
      CopyOptions copyOptions = CopyOptions.defaults().withGraphOptions(graph);
      if (platform != null) {
        copyOptions = copyOptions.withTargetPlatform(Platforms.parse(platform));
      }
      Descriptor root = Copy.copy(from, ref, files, ref, copyOptions);
      List<Descriptor> roots = new ArrayList<>();
      roots.add(root);
      if (includeSubject) {
        Set<String> seen = new HashSet<>();
        Descriptor node = root;
        while (node != null && seen.add(node.digest().toString())) {
          Manifest manifest = manifestOf(files, node);
          Descriptor subject = manifest == null ? null : manifest.subject();
          if (subject != null) {
            Copy.copyGraph(from, files, subject, graph);
            roots.add(subject);
          }
          node = subject;
        }
      }
      List<Map<String, Object>> pulled = new ArrayList<>();
      for (Descriptor r : roots) {
        for (Descriptor layer : titled(files, r)) {
          String title = layer.annotation(Annotations.TITLE);
          output.line("Downloaded " + title);
          Map<String, Object> file = new LinkedHashMap<>();
          Path path = out.resolve(title).normalize().toAbsolutePath();
          file.put("path", path + ("true".equals(layer.annotation(UNPACK)) ? "/" : ""));
          file.putAll(OrasJson.descriptor(src.location(), layer));
          pulled.add(file);
        }
      }
      List<Descriptor> skipped = selection.skipped();
      if (pulled.isEmpty()) {
        throw new UnsupportedContentException(
            "nothing to pull from "
                + src
                + ": none of its blobs has a file name ("
                + Annotations.TITLE
                + ")"
                + (skipped.isEmpty()
                    ? ""
                    : "; "
                        + skipped.size()
                        + " unnamed blob(s), e.g. a container image's layers and config, were not downloaded")
                + ". To keep everything, copy it to a layout: stevedore copy "
                + src
                + " oci:DIR");
      }
      output.note(progress.summary());
      if (!skipped.isEmpty()) {
        output.note(
            "Skipped "
                + skipped.size()
                + " blob(s) without a file name ("
                + Annotations.TITLE
                + "), not downloaded; use stevedore copy "
                + src
                + " oci:DIR to keep them.");
      }
      output.line("Pulled " + src);
      output.result("Digest: " + root.digest());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("reference", src.location() + "@" + root.digest());
      json.put("files", pulled);
      if (!skipped.isEmpty()) {
        // not in oras's output: present only when blobs were left out, so oras's shape is unchanged
        // otherwise
        json.put("skipped", skipped.stream().map(d -> d.digest().toString()).sorted().toList());
      }
      output.json(json);
    }
    return 0;
  }

  /** A positive byte count, with an optional k, m or g suffix (powers of 1024). */
  static long byteSize(String option, String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    long unit = 1;
    if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
      unit =
          switch (v.charAt(v.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            default -> 1L << 30;
          };
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 1 && n <= Long.MAX_VALUE / unit) {
        return n * unit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(
        option + " must be a positive number of bytes (suffixes k, m, g), not \"" + value + "\"");
  }

  private static @Nullable Manifest manifestOf(FileStore files, Descriptor node)
      throws IOException {
    if (!MediaTypes.OCI_MANIFEST.equals(node.mediaType())
        && !MediaTypes.DOCKER_MANIFEST.equals(node.mediaType())) {
      return null;
    }
    return Manifest.parse(Contents.fetchAll(files, node, Contents.DEFAULT_MAX_METADATA_BYTES));
  }

  private static List<Descriptor> titled(FileStore files, Descriptor root) throws IOException {
    List<Descriptor> layers = new ArrayList<>();
    Manifest manifest = manifestOf(files, root);
    if (manifest == null) {
      return layers;
    }
    for (Descriptor layer : manifest.layers()) {
      if (layer.annotation(Annotations.TITLE) != null) {
        layers.add(layer);
      }
    }
    return layers;
  }
}
