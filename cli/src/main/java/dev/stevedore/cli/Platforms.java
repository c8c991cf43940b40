package dev.stevedore.cli;

import dev.stevedore.content.Platform;

/** {@code --platform} values: a bad one is a usage error. */
final class Platforms {
  private Platforms() {}

  /**
   * Parses {@code os/arch[/variant]}.
   *
   * @param value the flag's value
   * @return the platform
   * @throws UsageException when it is not a platform
   */
  static Platform parse(String value) {
    try {
      return Platform.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "invalid --platform \"" + value + "\": expected os/arch[/variant], e.g. linux/amd64");
    }
  }
}
