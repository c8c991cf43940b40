package dev.stevedore.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes content into what the user named with {@code -o}:
 *
 * <ul>
 *   <li>a new file: written to a temporary file beside it and renamed into place once complete and
 *       verified, so nothing partial ever appears under the name;
 *   <li>an existing regular file (or a symlink to one): downloaded and verified into a temporary
 *       file first, then copied into the existing file, which keeps its inode, owner, mode and
 *       links (another program holding it open sees the new content); a failed download leaves it
 *       untouched;
 *   <li>anything else (a device such as {@code /dev/null}, a FIFO, a symlink to either): written
 *       through as a stream, never replaced by a regular file.
 * </ul>
 */
final class FileOutput {
  private FileOutput() {}

  /** Produces the content, verified while it is read. */
  @FunctionalInterface
  interface Content {
    /**
     * Opens the content.
     *
     * @return a stream that fails on a digest mismatch at its end
     * @throws IOException if it cannot be opened
     */
    InputStream open() throws IOException;
  }

  /**
   * Writes {@code content} to {@code path} as described in the class comment.
   *
   * @param path the user's path
   * @param content the content
   * @throws IOException if reading or writing fails
   */
  static void write(Path path, Content content) throws IOException {
    boolean exists = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    if (!exists) {
      Path parent = path.toAbsolutePath().getParent();
      Path temp = Files.createTempFile(parent, "." + path.getFileName() + ".", ".partial");
      try {
        try (InputStream in = content.open()) {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
      return;
    }
    if (Files.isRegularFile(path)) {
      Path real = path.toRealPath();
      Path temp =
          Files.createTempFile(real.getParent(), "." + real.getFileName() + ".", ".partial");
      try {
        try (InputStream in = content.open()) {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        try (OutputStream out =
            Files.newOutputStream(
                path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          Files.copy(temp, out);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
      return;
    }
    // a device, a FIFO, or a symlink to one (or a dangling symlink): write through
    try (InputStream in = content.open();
        OutputStream out =
            Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      in.transferTo(out);
    }
  }
}
