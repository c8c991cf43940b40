package dev.stevedore.content.file;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lexical handling of slash-separated archive paths (tar entry names, titles, link targets), as
 * Go's {@code path.Clean}: empty and {@code .} elements vanish, {@code ..} removes the element
 * before it; a {@code ..} with nothing to remove is kept at the front.
 */
final class ArchivePath {
  private ArchivePath() {}

  /**
   * The cleaned elements of a relative path. Backslashes are not separators (tar uses {@code /}).
   *
   * @param path the path
   * @return the elements, leading {@code ..} kept; empty for {@code .} or {@code ""}
   */
  static List<String> clean(String path) {
    List<String> out = new ArrayList<>();
    for (String element : path.split("/", -1)) {
      if (element.isEmpty() || element.equals(".")) {
        continue;
      }
      if (element.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
        out.remove(out.size() - 1);
      } else {
        out.add(element);
      }
    }
    return out;
  }

  /**
   * The path of {@code entry} below {@code base}, both cleaned, or empty when {@code entry} is not
   * {@code base} or below it (it escapes, or lies beside it).
   *
   * @param base the cleaned elements of the base
   * @param entry the entry's path; absolute paths never lie below a relative base
   * @return the elements of {@code entry} after {@code base} (empty list for the base itself)
   */
  static Optional<List<String>> below(List<String> base, String entry) {
    if (entry.startsWith("/")) {
      return Optional.empty();
    }
    List<String> cleaned = clean(entry);
    if (cleaned.size() < base.size() || !cleaned.subList(0, base.size()).equals(base)) {
      return Optional.empty();
    }
    List<String> rest = cleaned.subList(base.size(), cleaned.size());
    if (rest.contains("..")) {
      return Optional.empty();
    }
    return Optional.of(List.copyOf(rest));
  }

  /**
   * Joins elements with {@code /}.
   *
   * @param elements the elements
   * @return the joined path, {@code ""} for none
   */
  static String join(List<String> elements) {
    return String.join("/", elements);
  }
}
