package dev.stevedore.cli;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.file.FileStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The files and annotations of a push or attach: {@code FILE[:mediaType]} arguments added to a file
 * store, {@code -a key=value} and oras's {@code --annotation-file} ({@code $manifest}, {@code
 * $config} and per-file keys).
 *
 * @param layers the layer descriptors, with their per-file annotations
 * @param manifestAnnotations the manifest's annotations
 * @param configAnnotations the config's annotations
 */
record Packing(
    List<Descriptor> layers,
    Map<String, String> manifestAnnotations,
    Map<String, String> configAnnotations) {
  static final String MANIFEST_KEY = "$manifest";
  static final String CONFIG_KEY = "$config";

  /**
   * Adds the files to the store and gathers the annotations.
   *
   * @param store the file store of the working directory
   * @param workingDirectory where names are resolved
   * @param arguments the {@code FILE[:mediaType]} arguments
   * @param pairs the {@code -a} values
   * @param annotationFile the {@code --annotation-file}, or null
   * @param validatePaths refuse absolute paths and {@code ..} (oras's default)
   * @param output where "Added" notes go
   * @return the packing
   * @throws IOException if a file cannot be read
   */
  static Packing of(
      FileStore store,
      Path workingDirectory,
      List<String> arguments,
      List<String> pairs,
      @Nullable Path annotationFile,
      boolean validatePaths,
      Output output)
      throws IOException {
    Map<String, String> manifest = FileArguments.annotations(pairs);
    Map<String, Map<String, String>> fromFile =
        annotationFile == null
            ? Map.of()
            : FileArguments.annotationFile(workingDirectory.resolve(annotationFile));
    for (Map.Entry<String, String> e : fromFile.getOrDefault(MANIFEST_KEY, Map.of()).entrySet()) {
      if (manifest.containsKey(e.getKey())) {
        throw new UsageException(
            "annotation \"" + e.getKey() + "\" given both with -a and in --annotation-file");
      }
      manifest.put(e.getKey(), e.getValue());
    }
    Set<String> unused = new LinkedHashSet<>(fromFile.keySet());
    unused.remove(MANIFEST_KEY);
    unused.remove(CONFIG_KEY);
    List<Descriptor> layers = new ArrayList<>();
    for (String argument : arguments) {
      FileArguments.FileArgument file = FileArguments.parse(argument, workingDirectory);
      if (validatePaths) {
        FileArguments.validatePath(file.name());
      }
      Descriptor layer = store.add(file.name(), file.mediaType(), file.path());
      Map<String, String> extra = fromFile.get(file.name());
      unused.remove(file.name());
      if (extra != null && !extra.isEmpty()) {
        Map<String, String> merged = new LinkedHashMap<>(layer.annotations());
        merged.putAll(extra);
        merged.put(Annotations.TITLE, file.name());
        layer = layer.withAnnotations(merged);
      }
      layers.add(layer);
      output.note("Added " + file.name());
    }
    if (!unused.isEmpty()) {
      throw new UsageException(
          "--annotation-file names files that are not pushed: " + String.join(", ", unused));
    }
    return new Packing(layers, manifest, fromFile.getOrDefault(CONFIG_KEY, Map.of()));
  }

  /**
   * Writes the packed manifest to {@code --export-manifest FILE}.
   *
   * @param store the store holding the manifest
   * @param manifest its descriptor
   * @param file the file
   * @throws IOException if it cannot be written
   */
  static void export(FileStore store, Descriptor manifest, Path file) throws IOException {
    byte[] bytes = Contents.fetchAll(store, manifest, Contents.DEFAULT_MAX_METADATA_BYTES);
    FileOutput.write(file, () -> new java.io.ByteArrayInputStream(bytes));
  }
}
