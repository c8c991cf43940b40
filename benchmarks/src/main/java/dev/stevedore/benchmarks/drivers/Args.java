package dev.stevedore.benchmarks.drivers;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line every Java driver shares: {@code copy SRC DST [--concurrency N] [--platform P]}.
 */
record Args(String source, String destination, int concurrency, String platform) {

  static Args parse(String[] args) {
    List<String> positional = new ArrayList<>();
    int concurrency = 4;
    String platform = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--platform" -> platform = args[++i];
        default -> positional.add(args[i]);
      }
    }
    if (positional.size() != 3 || !positional.get(0).equals("copy")) {
      System.err.println("usage: copy SRC DST [--concurrency N] [--platform os/arch[/variant]]");
      System.exit(2);
    }
    return new Args(positional.get(1), positional.get(2), concurrency, platform);
  }
}
