package dev.stevedore.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temp directories for files a test registry needs before the class starts (htpasswd, keys). */
final class TestDirs {
  private TestDirs() {}

  /** A supplier that may throw an IOException. */
  @FunctionalInterface
  interface IoSupplier<T> {
    T get() throws IOException;
  }

  static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory("stevedore-examples-" + prefix + "-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          Trees.deleteRecursively(dir);
        } catch (IOException e) {
          // best effort at JVM exit
        }
      }, "delete-" + prefix));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
