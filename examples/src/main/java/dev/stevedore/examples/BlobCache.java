package dev.stevedore.examples;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * A local, content-addressed blob cache: {@code <dir>/<algorithm>/<encoded>}. A blob is written to
 * a temporary file, verified against its digest and size, and moved into place, so the cache never
 * holds a partial or wrong blob; a read is verified again, so a damaged file fails instead of
 * serving wrong bytes. Safe for concurrent use by several threads and processes (the move is atomic
 * and content-addressed).
 */
public final class BlobCache {
  /** Where a blob comes from on a miss. */
  @FunctionalInterface
  public interface Source {
    /**
     * Describes and opens a blob.
     *
     * @param digest the blob's digest
     * @return its descriptor (size included) and content
     * @throws IOException if it cannot be had
     */
    dev.stevedore.content.FetchedReference open(Digest digest) throws IOException;
  }

  private final Path directory;

  private BlobCache(Path directory) {
    this.directory = directory;
  }

  /**
   * Opens (creating) a cache directory.
   *
   * @param directory the directory
   * @return the cache
   * @throws IOException if it cannot be created
   */
  public static BlobCache open(Path directory) throws IOException {
    return new BlobCache(Files.createDirectories(Objects.requireNonNull(directory, "directory")));
  }

  /**
   * Tells whether a blob is cached.
   *
   * @param digest the digest
   * @return true when its file is there
   */
  public boolean contains(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  /**
   * Opens a blob: from the cache when there, else from {@code source}, stored first.
   *
   * @param digest the digest
   * @param source where to get it on a miss
   * @return the verified content; the caller closes it
   * @throws dev.stevedore.content.DigestMismatchException if the source (or a damaged cache file)
   *     does not match
   * @throws IOException if neither the cache nor the source has it
   */
  public InputStream fetch(Digest digest, Source source) throws IOException {
    Path file = path(digest);
    if (!Files.isRegularFile(file)) {
      store(digest, source, file);
    }
    Descriptor desc = Descriptor.of(MediaTypes.OCTET_STREAM, digest, Files.size(file));
    return new VerifyingInputStream(Files.newInputStream(file), desc);
  }

  private void store(Digest digest, Source source, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), ".partial-", "");
    try {
      try (dev.stevedore.content.FetchedReference fetched = source.open(digest);
          VerifyingInputStream in =
              new VerifyingInputStream(fetched.content(), fetched.descriptor());
          OutputStream out = Files.newOutputStream(temp)) {
        if (!fetched.descriptor().digest().equals(digest)) {
          throw new IllegalStateException(
              "source answered " + fetched.descriptor().digest() + " for " + digest);
        }
        in.transferTo(out);
        in.verifyRemaining();
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private Path path(Digest digest) {
    return directory.resolve(digest.algorithm()).resolve(digest.encoded());
  }

  @Override
  public String toString() {
    return "BlobCache[" + directory + "]";
  }
}
