package dev.stevedore.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Parsing of {@code FILE[:mediaType]} and {@code key=value} arguments, as oras takes them. */
final class FileArguments {
  private FileArguments() {}

  /**
   * A file argument.
   *
   * @param name the name as given (the title of the blob)
   * @param path where it is
   * @param mediaType the media type, or null for the default
   */
  record FileArgument(String name, Path path, @Nullable String mediaType) {}

  static FileArgument parse(String argument, Path workingDirectory) {
    Path whole = workingDirectory.resolve(argument);
    if (Files.exists(whole)) {
      return new FileArgument(argument, whole, null);
    }
    int colon = argument.lastIndexOf(':');
    if (colon > 0 && colon < argument.length() - 1) {
      String name = argument.substring(0, colon);
      return new FileArgument(name, workingDirectory.resolve(name), argument.substring(colon + 1));
    }
    return new FileArgument(argument, whole, null);
  }

  /**
   * Refuses a file name that a pull could not write safely: an absolute path or one with a {@code
   * ..} segment (oras's path validation, done at push time).
   *
   * @param name the name as given
   * @throws UsageException for such a name
   */
  static void validatePath(String name) {
    String n = name.replace('\\', '/');
    boolean absolute = n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':');
    boolean parent = false;
    for (String segment : n.split("/", -1)) {
      parent |= segment.equals("..");
    }
    if (absolute || parent) {
      throw new UsageException(
          "refusing to push \""
              + name
              + "\": "
              + (absolute ? "an absolute path" : "a \"..\" in the path")
              + " would make a pull write outside its directory (pull refuses it); name the file relative to the"
              + " working directory, or pass --disable-path-validation to push it anyway");
    }
  }

  /**
   * The annotations of oras's {@code --annotation-file}: a JSON object whose keys are {@code
   * $manifest}, {@code $config} or a file name, each mapping to an object of string values.
   *
   * @param file the file
   * @return key to annotations, in file order
   * @throws java.io.IOException if it cannot be read
   * @throws UsageException if it is not of that shape
   */
  static Map<String, Map<String, String>> annotationFile(Path file) throws java.io.IOException {
    com.fasterxml.jackson.databind.JsonNode root;
    try (var in = Files.newInputStream(file)) {
      root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UsageException(
          "--annotation-file " + file + " is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new UsageException(
          "--annotation-file "
              + file
              + " must hold a JSON object: {\"$manifest\": {\"key\": \"value\"}, ...}");
    }
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (var entry : root.properties()) {
      if (!entry.getValue().isObject()) {
        throw new UsageException(
            "--annotation-file "
                + file
                + ": \""
                + entry.getKey()
                + "\" must map to an object of strings");
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (var value : entry.getValue().properties()) {
        if (!value.getValue().isTextual()) {
          throw new UsageException(
              "--annotation-file "
                  + file
                  + ": the value of \""
                  + value.getKey()
                  + "\" under \""
                  + entry.getKey()
                  + "\" must be a string");
        }
        values.put(value.getKey(), value.getValue().asText());
      }
      out.put(entry.getKey(), values);
    }
    return out;
  }

  static Map<String, String> annotations(@Nullable List<String> pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    if (pairs == null) {
      return out;
    }
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("invalid annotation \"" + pair + "\": expected key=value");
      }
      String key = pair.substring(0, eq);
      if (out.containsKey(key)) {
        throw new UsageException("annotation \"" + key + "\" given twice");
      }
      out.put(key, pair.substring(eq + 1));
    }
    return out;
  }
}
