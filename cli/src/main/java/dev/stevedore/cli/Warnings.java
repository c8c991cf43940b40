package dev.stevedore.cli;

import dev.stevedore.content.remote.ReferrersWarning;
import dev.stevedore.content.remote.RegistryWarning;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prints warnings on stderr, each distinct one once per command: what registries send
 * ({@code Warning: 299} headers) and what the referrers tag schema could not do. Thread-safe
 * (registry warnings arrive on Vert.x threads, so printing never blocks on anything but stderr).
 */
final class Warnings {
  private final PrintWriter err;
  private final Set<String> printed = ConcurrentHashMap.newKeySet();

  Warnings(PrintWriter err) {
    this.err = err;
  }

  void registry(String host, RegistryWarning warning) {
    print("Warning from " + host + ": " + warning.text());
  }

  void referrers(ReferrersWarning warning) {
    print("Warning: " + warning.message());
  }

  void print(String line) {
    if (printed.add(line)) {
      synchronized (err) {
        err.println(line);
        err.flush();
      }
    }
  }
}
