package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Control characters never reach the terminal raw. */
class TerminalTest {
  @Test
  void escapesC0C1DelAndBidiOverrides() {
    assertThat(Terminal.escape("a\u001b]0;PWNED\u0007b")).isEqualTo("a\\x1b]0;PWNED\\x07b");
    assertThat(Terminal.escape("csi\u009b2J del\u007f")).isEqualTo("csi\\u009b2J del\\x7f");
    assertThat(Terminal.escape("evil\u202etxt.exe")).isEqualTo("evil\\u202etxt.exe");
  }

  @Test
  void keepsPlainTextTabsAndUnicodeAsTheyAre() {
    assertThat(Terminal.escape("sha256:abc\tünïcödé ✓")).isEqualTo("sha256:abc\tünïcödé ✓");
  }

  @Test
  void newlinesAreEscapedInSingleLinesAndKeptInMessages() {
    assertThat(Terminal.escape("two\nlines\r")).isEqualTo("two\\nlines\\r");
    assertThat(Terminal.escape("two\nlines", true)).isEqualTo("two\nlines");
  }
}
