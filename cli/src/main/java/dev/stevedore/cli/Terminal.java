package dev.stevedore.cli;

/**
 * Makes text from the outside (titles, annotations, tags, registry messages, paths) safe to print
 * on a terminal: control characters are shown escaped, never sent raw, so a title such as {@code
 * "\x1b]0;PWNED\x07"} cannot retitle the terminal or move the cursor.
 */
final class Terminal {
  private Terminal() {}

  /**
   * Escapes every control character (C0, DEL, C1) and the Unicode bidirectional overrides.
   *
   * @param text the text
   * @return text with {@code \xNN} / {@code \\uNNNN} in place of control characters
   */
  static String escape(String text) {
    return escape(text, false);
  }

  /**
   * Escapes control characters, keeping line breaks when {@code keepNewlines}.
   *
   * @param text the text
   * @param keepNewlines whether {@code \n} stays a line break (multi-line messages)
   * @return the escaped text
   */
  static String escape(String text, boolean keepNewlines) {
    int i = 0;
    while (i < text.length() && safe(text.charAt(i), keepNewlines)) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (safe(c, keepNewlines)) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c < 0x80) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  private static boolean safe(char c, boolean keepNewlines) {
    if (c == '\n') {
      return keepNewlines;
    }
    if (c == '\t') {
      return true;
    }
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
      return false;
    }
    return !(c >= 0x202a && c <= 0x202e) && !(c >= 0x2066 && c <= 0x2069);
  }
}
