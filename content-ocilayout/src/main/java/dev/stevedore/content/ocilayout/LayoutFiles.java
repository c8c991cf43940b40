package dev.stevedore.content.ocilayout;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Digest;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Names, paths and small-file I/O of an OCI image layout. */
final class LayoutFiles {
  static final String LAYOUT_FILE = "oci-layout";
  static final String INDEX_FILE = "index.json";
  static final String BLOBS_DIR = "blobs";

  /** Temporary files of pushes in flight, as oras-go names the directory. */
  static final String INGEST_DIR = "ingest";

  /** Held (with a file lock) while index.json is rewritten; never deleted. */
  static final String LOCK_FILE = "index.json.lock";

  static final String LAYOUT_VERSION = "1.0.0";

  /** The largest oci-layout file read. */
  static final long MAX_LAYOUT_FILE_BYTES = 64 * 1024;

  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private LayoutFiles() {}

  /** The bytes of the oci-layout file, as Go's encoding/json writes them. */
  static byte[] layoutFileBytes() {
    return ("{\"imageLayoutVersion\":\"" + LAYOUT_VERSION + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The relative path of a blob, {@code blobs/<alg>/<encoded>}. A {@link Digest} is validated on
   * construction (lower-case hex of the algorithm's length), so this never leaves {@code blobs/};
   * the check below is defence in depth.
   */
  static String blobEntryName(Digest digest) {
    String name = BLOBS_DIR + "/" + digest.algorithm() + "/" + digest.encoded();
    if (!Digest.isSupported(digest.algorithm())
        || digest.encoded().indexOf('/') >= 0
        || digest.encoded().indexOf('.') >= 0) {
      throw new IllegalArgumentException("digest " + digest + " cannot name a blob file");
    }
    return name;
  }

  /** The path of a blob under a layout root. */
  static Path blobPath(Path root, Digest digest) {
    Path blobs = root.resolve(BLOBS_DIR);
    Path path = root.resolve(blobEntryName(digest)).normalize();
    if (!path.startsWith(blobs) || path.getNameCount() != blobs.getNameCount() + 2) {
      throw new IllegalArgumentException(
          "digest " + digest + " would name a path outside " + blobs);
    }
    return path;
  }

  /**
   * Checks the bytes of an oci-layout file.
   *
   * @param bytes the file's content
   * @param where the file, for messages
   * @throws ContentException if it is not JSON with a supported imageLayoutVersion
   */
  static void checkLayoutFile(byte[] bytes, String where) throws ContentException {
    String version;
    try {
      version =
          Json.fields(bytes, "oci-layout file", "imageLayoutVersion").get("imageLayoutVersion");
    } catch (InvalidDescriptorException e) {
      throw new InvalidDescriptorException(
          where + ": " + e.getMessage() + "; expected {\"imageLayoutVersion\":\"1.0.0\"}", e);
    }
    if (version == null) {
      throw new InvalidDescriptorException(
          where + ": no imageLayoutVersion string; expected {\"imageLayoutVersion\":\"1.0.0\"}");
    }
    if (!LAYOUT_VERSION.equals(version)) {
      throw new UnsupportedContentException(
          where
              + ": imageLayoutVersion \""
              + version
              + "\" is not supported (supported: "
              + LAYOUT_VERSION
              + "); use a tool that writes OCI image layout 1.0.0");
    }
  }

  /** Reads a small file whole, up to a limit. */
  static byte[] readSmallFile(Path file, long maxBytes) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Contents.readLimited(in, maxBytes);
    }
  }

  /**
   * A random suffix in the form oras-go gives its temporary files: 26 characters of base32. The
   * names only need to differ (files are created with CREATE_NEW, which refuses a name in use), not
   * to be unguessable, so a thread-local generator is enough: a SecureRandom read /dev/urandom
   * under a lock on every push.
   */
  static String randomSuffix() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[26];
    long bits = 0;
    for (int i = 0; i < out.length; i++) {
      if (i % 12 == 0) {
        bits = random.nextLong(); // 12 characters of 5 bits from each 64-bit draw
      }
      out[i] = BASE32[(int) (bits & 31)];
      bits >>>= 5;
    }
    return new String(out);
  }

  /** Tells whether a file name is one of our (or oras-go's) temporary files for {@code base}. */
  static boolean isTempFileOf(String name, String base) {
    if (!name.startsWith(base + "_")) {
      return false;
    }
    String suffix = name.substring(base.length() + 1);
    if (suffix.length() < 26) {
      return false;
    }
    for (int i = 0; i < suffix.length(); i++) {
      char c = suffix.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The directory of a file of the layout. Every such path is under the layout's root, so it has
   * one; a path without one is a programming error.
   *
   * @throws IllegalStateException if the path has no parent
   */
  static Path parent(Path file) {
    Path dir = file.getParent();
    if (dir == null) {
      throw new IllegalStateException(file + ": a layout file must be inside the layout directory");
    }
    return dir;
  }

  /**
   * Replaces a file atomically: the bytes go to a temporary file in the same directory, are flushed
   * to disk, and the temporary file is renamed over the target; the directory is then flushed. A
   * reader sees the old file or the new one, never a part; a crash leaves at most a temporary file
   * behind, which the next writer under the layout lock removes.
   */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path dir = parent(target);
    Path temp = dir.resolve(target.getFileName() + "_" + randomSuffix());
    boolean done = false;
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      move(temp, target);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
    syncDirectory(dir);
  }

  /** Renames atomically, replacing the target. */
  static void move(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename "
              + source
              + " to "
              + target
              + " atomically; the layout must be on one file system that supports rename",
          e);
    }
  }

  /** Flushes a directory's entries to disk, where the platform allows it (Linux, macOS). */
  static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; the rename itself is still atomic there.
    }
  }
}
