package dev.stevedore.cli;

import java.io.Console;
import java.util.Locale;

/**
 * Asks before something is destroyed: on a terminal a y/N question, elsewhere {@code -f/--force} is
 * needed.
 */
final class Confirmation {
  private Confirmation() {}

  /**
   * Whether to go on.
   *
   * @param force {@code -f/--force} was given
   * @param question the question, without the {@code [y/N]}
   * @return true to go on, false when the user said no
   * @throws UsageException when there is no terminal to ask and no {@code --force}
   */
  // Java 17 target: console() is null without a terminal, and Console.isTerminal() (JDK 22) is not
  // available.
  @SuppressWarnings("SystemConsoleNull")
  static boolean confirm(boolean force, String question) {
    if (force) {
      return true;
    }
    Console console = System.console();
    if (console == null) {
      throw new UsageException(
          question.replace("Are you sure you want to", "refusing to").replace("?", "")
              + " without confirmation: standard input is not a terminal; pass -f/--force");
    }
    String answer = console.readLine("%s [y/N] ", Terminal.escape(question));
    return answer != null
        && (answer.trim().toLowerCase(Locale.ROOT).equals("y")
            || answer.trim().toLowerCase(Locale.ROOT).equals("yes"));
  }
}
