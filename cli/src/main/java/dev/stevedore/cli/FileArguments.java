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

  static Map<String, String> annotations(@Nullable List<String> pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    if (pairs == null) {
      return out;
    }
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid annotation \"" + pair + "\": expected key=value");
      }
      String key = pair.substring(0, eq);
      if (out.containsKey(key)) {
        throw new IllegalArgumentException("annotation \"" + key + "\" given twice");
      }
      out.put(key, pair.substring(eq + 1));
    }
    return out;
  }
}
