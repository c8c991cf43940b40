package dev.stevedore.cli;

import picocli.CommandLine.IVersionProvider;

/** The version of Stevedore, from the jar's manifest when packaged. */
final class Versions implements IVersionProvider {
  static String version() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "stevedore " + version(),
      "Java "
          + System.getProperty("java.version")
          + " ("
          + System.getProperty("java.vm.name")
          + ")",
      "OS " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
    };
  }
}
