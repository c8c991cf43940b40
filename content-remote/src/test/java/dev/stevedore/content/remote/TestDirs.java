package dev.stevedore.content.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temp directories for files a test registry needs before the class starts (htpasswd, certificates, keys). */
final class TestDirs {
  private TestDirs() {}

  /** A supplier that may throw an IOException. */
  @FunctionalInterface
  interface IoSupplier<T> {
    T get() throws IOException;
  }

  static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory("stevedore-" + prefix + "-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete-" + prefix));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }

  static <T> T unchecked(IoSupplier<T> supplier) {
    try {
      return supplier.get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
