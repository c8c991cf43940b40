package dev.stevedore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temp directories for files a test registry needs before its test class starts (htpasswd files,
 * certificates, token-signing keys): made in static initializers, deleted when the JVM exits.
 */
public final class TestDirs {
  private TestDirs() {}

  /**
   * Something that makes a value and may fail with an IOException.
   *
   * @param <T> the value
   */
  @FunctionalInterface
  public interface IoSupplier<T> {
    /**
     * Makes the value.
     *
     * @return the value
     * @throws IOException if it fails
     */
    T get() throws IOException;
  }

  /**
   * A new temp directory, deleted with its content when the JVM exits.
   *
   * @param prefix a name for it
   * @return the directory
   * @throws UncheckedIOException if it cannot be made (static initializers cannot throw checked
   *     exceptions)
   */
  public static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory("stevedore-" + prefix + "-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete-" + prefix));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs an IO step in a static initializer.
   *
   * @param supplier the step
   * @param <T> its value
   * @return its value
   * @throws UncheckedIOException if it fails
   */
  public static <T> T unchecked(IoSupplier<T> supplier) {
    try {
      return supplier.get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }
}
