package dev.stevedore.content.ocilayout;

import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.Reference;
import java.util.regex.Pattern;

/**
 * Validation of the names a layout's index.json gives its entries ({@code
 * org.opencontainers.image.ref.name}).
 */
final class RefNames {
  /**
   * The image-spec grammar of ref.name: components of alphanumerics joined by separators, joined by
   * '/'.
   */
  private static final String COMPONENT = "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*";

  private static final Pattern REF_NAME = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final int MAX_LENGTH = 255;

  private RefNames() {}

  /**
   * Checks a name to tag with: a registry tag ({@code [\w][\w.-]{0,127}}) or a name of the
   * image-spec ref.name grammar (such as {@code example.com/app:v1}, which skopeo writes).
   *
   * @throws InvalidReferenceException if it is neither
   */
  static void check(String name) throws InvalidReferenceException {
    if (name.isEmpty()) {
      throw new InvalidReferenceException("empty reference: give a tag such as v1 or latest");
    }
    if (name.length() <= MAX_LENGTH
        && (Reference.isValidTag(name) || REF_NAME.matcher(name).matches())) {
      return;
    }
    throw new InvalidReferenceException(
        "invalid tag \""
            + printable(name)
            + "\": expected a tag [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} or an OCI ref.name such as example.com/app:v1");
  }

  private static String printable(String s) {
    String clean =
        s.codePoints()
            .map(cp -> Character.isISOControl(cp) ? '?' : cp)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return clean.length() > 80 ? clean.substring(0, 77) + "..." : clean;
  }
}
