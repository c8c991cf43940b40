package dev.stevedore.cli;

import picocli.CommandLine.Command;

/** {@code stevedore version}. */
@Command(name = "version", description = "Print the version.")
final class VersionCommand extends BaseCommand {
  @Override
  public Integer call() {
    Output output = output();
    for (String line : new Versions().getVersion()) {
      output.result(line);
    }
    output.json(
        java.util.Map.of(
            "version", Versions.version(), "java", System.getProperty("java.version")));
    return 0;
  }
}
