package dev.stevedore.content.file;

import dev.stevedore.content.Digest;
import dev.stevedore.content.Digester;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.internal.Json;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Packs a directory tree into tar+gzip, as oras-go's file store does for {@code Add} of a
 * directory: every entry named {@code <prefix>/<relative path>}, the root directory first, children
 * in code-point order after their directory, uid/gid 0 and no user or group names; regular files,
 * directories and symbolic links (stored, not followed). Hard links are packed as regular files.
 * The uncompressed tar and the gzip stream are hashed on the fly.
 *
 * <p>Reproducible mode zeroes every time stamp. The gzip header carries no name and time 0 and says
 * "unknown OS", as Go's gzip writer does.
 */
final class DirectoryPacker {
  private static final int BUFFER = 64 * 1024;
  private static final int UNKNOWN_OS = 255;

  /**
   * What packing produced.
   *
   * @param gzipDigest digest of the compressed stream (the blob)
   * @param gzipSize size of the compressed stream
   * @param tarDigest digest of the uncompressed tar
   */
  record Packed(Digest gzipDigest, long gzipSize, Digest tarDigest) {}

  private final boolean reproducible;
  private final byte[] buffer = new byte[BUFFER];

  private DirectoryPacker(boolean reproducible) {
    this.reproducible = reproducible;
  }

  /**
   * Packs {@code root} and writes the tar+gzip to {@code out}, which is closed.
   *
   * @param root the directory
   * @param prefix the name the tree gets in the archive (the blob's title)
   * @param reproducible whether to zero time stamps
   * @param out where the gzip stream goes
   * @return the digests and size
   * @throws UnsupportedContentException if the tree holds a socket, device or FIFO
   * @throws IOException if reading or writing fails, or a file changes size while it is packed
   */
  static Packed pack(Path root, String prefix, boolean reproducible, OutputStream out)
      throws IOException {
    return new DirectoryPacker(reproducible).run(root, prefix, out);
  }

  private Packed run(Path root, String prefix, OutputStream out) throws IOException {
    Digester gzipDigester = Digester.sha256();
    Digester tarDigester = Digester.sha256();
    GzipParameters gzip = new GzipParameters();
    gzip.setModificationTime(0);
    gzip.setOperatingSystem(UNKNOWN_OS);
    // Neither the tar nor the gzip stream writes everything before it is closed (the gzip trailer
    // comes only with close in commons-compress 1.28), so each is closed onto a stream that
    // survives it, and the digests are taken once both are closed.
    try (HashingOutputStream gzipOut = new HashingOutputStream(out, gzipDigester)) {
      try (GzipCompressorOutputStream compressed =
              new GzipCompressorOutputStream(new NonClosingOutputStream(gzipOut), gzip);
          TarArchiveOutputStream tar =
              new TarArchiveOutputStream(
                  new HashingOutputStream(new NonClosingOutputStream(compressed), tarDigester),
                  TarConstants.DEFAULT_RCDSIZE,
                  StandardCharsets.UTF_8.name())) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        Path walkRoot = root.toRealPath();
        BasicFileAttributes attrs =
            Files.readAttributes(walkRoot, BasicFileAttributes.class, Trees.NOFOLLOW);
        writeDirectory(tar, walkRoot, prefix(prefix), attrs);
      }
      gzipOut.flush();
      long gzipSize = gzipDigester.count();
      return new Packed(gzipDigester.digest(), gzipSize, tarDigester.digest());
    }
  }

  /** Passes writes through and ignores close. */
  private static final class NonClosingOutputStream extends FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }

  /** The archive name of the root, cleaned as Go's filepath.Join cleans it. */
  private static String prefix(String name) {
    boolean absolute = name.startsWith("/");
    String joined = ArchivePath.join(ArchivePath.clean(name));
    if (absolute) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  private void writeDirectory(
      TarArchiveOutputStream tar, Path dir, String name, BasicFileAttributes attrs)
      throws IOException {
    TarArchiveEntry entry = entry(name + "/", TarConstants.LF_DIR, attrs);
    entry.setMode(Trees.mode(dir, true));
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
    List<Path> children = Trees.sortedChildren(dir, Json.CODE_POINT_ORDER);
    for (Path child : children) {
      String childName =
          name.equals(".") ? child.getFileName().toString() : name + "/" + child.getFileName();
      BasicFileAttributes childAttrs =
          Files.readAttributes(child, BasicFileAttributes.class, Trees.NOFOLLOW);
      if (childAttrs.isSymbolicLink()) {
        writeSymlink(tar, child, childName, childAttrs);
      } else if (childAttrs.isDirectory()) {
        writeDirectory(tar, child, childName, childAttrs);
      } else if (childAttrs.isRegularFile()) {
        writeFile(tar, child, childName, childAttrs);
      } else {
        throw new UnsupportedContentException(
            "cannot pack "
                + child
                + ": it is a socket, device or FIFO;"
                + " only regular files, directories and symbolic links can be packed; move it out of the directory");
      }
    }
  }

  private void writeSymlink(
      TarArchiveOutputStream tar, Path link, String name, BasicFileAttributes attrs)
      throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK, attrs);
    entry.setLinkName(
        Files.readSymbolicLink(link).toString().replace(link.getFileSystem().getSeparator(), "/"));
    entry.setMode(0777);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private void writeFile(
      TarArchiveOutputStream tar, Path file, String name, BasicFileAttributes attrs)
      throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL, attrs);
    entry.setMode(Trees.mode(file, false));
    long size = attrs.size();
    entry.setSize(size);
    tar.putArchiveEntry(entry);
    try (InputStream in = Files.newInputStream(file, Trees.NOFOLLOW)) {
      long remaining = size;
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new IOException(
              "cannot pack "
                  + file
                  + ": it shrank from "
                  + size
                  + " bytes while it was being"
                  + " packed; retry when nothing writes to it");
        }
        tar.write(buffer, 0, n);
        remaining -= n;
      }
      if (in.read() >= 0) {
        throw new IOException(
            "cannot pack "
                + file
                + ": it grew past "
                + size
                + " bytes while it was being"
                + " packed; retry when nothing writes to it");
      }
    }
    tar.closeArchiveEntry();
  }

  private TarArchiveEntry entry(String name, byte type, BasicFileAttributes attrs) {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    entry.setIds(0, 0);
    entry.setUserName("");
    entry.setGroupName("");
    FileTime time =
        reproducible
            ? FileTime.fromMillis(0)
            : FileTime.from(attrs.lastModifiedTime().to(TimeUnit.SECONDS), TimeUnit.SECONDS);
    entry.setModTime(time);
    return entry;
  }
}
