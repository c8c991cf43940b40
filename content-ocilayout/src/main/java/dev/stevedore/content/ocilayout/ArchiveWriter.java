package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.Fetcher;
import dev.stevedore.content.SizeLimitExceededException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Collection;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an OCI layout as a tar archive (what skopeo calls {@code oci-archive}), streamed: the
 * small files first, then every blob copied from its store and verified on the way, so a corrupt
 * source blob fails the export instead of landing in the archive. Entries are written reproducibly:
 * fixed time stamp, owner 0:0, mode 0644 (directories 0755).
 */
final class ArchiveWriter {
  private static final FileTime EPOCH = FileTime.from(Instant.EPOCH);
  private static final int BUFFER_SIZE = 256 * 1024;

  private ArchiveWriter() {}

  /**
   * Writes the archive. The output stream is flushed, not closed.
   *
   * @param out where to write
   * @param index the index.json to write
   * @param blobs every blob to include (one per digest)
   * @param fetcher where the blobs are read from; its streams must verify
   */
  static void write(
      OutputStream out, IndexDocument index, Collection<Descriptor> blobs, Fetcher fetcher)
      throws IOException {
    TarArchiveOutputStream tar =
        new TarArchiveOutputStream(
            new FilterOutputStream(out) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
              }

              @Override
              public void close() throws IOException {
                out.flush();
              }
            });
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    try (tar) {
      file(tar, LayoutFiles.LAYOUT_FILE, LayoutFiles.layoutFileBytes());
      file(tar, LayoutFiles.INDEX_FILE, index.toJson());
      directory(tar, LayoutFiles.BLOBS_DIR + "/");
      TreeSet<String> algorithms = new TreeSet<>();
      for (Descriptor blob : blobs) {
        if (algorithms.add(blob.digest().algorithm())) {
          directory(tar, LayoutFiles.BLOBS_DIR + "/" + blob.digest().algorithm() + "/");
        }
      }
      byte[] buffer = new byte[BUFFER_SIZE];
      for (Descriptor blob : blobs) {
        TarArchiveEntry entry = entry(LayoutFiles.blobEntryName(blob.digest()), 0100644);
        entry.setSize(blob.size());
        tar.putArchiveEntry(entry);
        try (InputStream in = fetcher.fetch(blob)) {
          long copied = 0;
          int n;
          while ((n = in.read(buffer)) >= 0) {
            copied += n;
            if (copied > blob.size()) {
              throw new SizeLimitExceededException(
                  blob.digest()
                      + ": source has more than its "
                      + blob.size()
                      + " bytes; nothing was exported",
                  blob.size());
            }
            tar.write(buffer, 0, n);
          }
          if (copied != blob.size()) {
            throw new DigestMismatchException(
                blob.digest()
                    + ": source ended after "
                    + copied
                    + " of "
                    + blob.size()
                    + " bytes; nothing was exported",
                blob.digest(),
                null);
          }
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = entry(name, 0100644);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
    tar.putArchiveEntry(entry(name, 040755));
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry entry(String name, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(mode);
    entry.setLastModifiedTime(EPOCH);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    return entry;
  }
}
