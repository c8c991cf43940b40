package dev.stevedore.content.file;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jspecify.annotations.Nullable;

/** Builds tar+gzip directory blobs entry by entry, hostile ones included, and reads them back. */
final class TestArchives {
  private final List<TarArchiveEntry> entries = new ArrayList<>();
  private final List<byte[]> contents = new ArrayList<>();

  static TestArchives tar() {
    return new TestArchives();
  }

  TestArchives dir(String name) {
    return add(
        name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 0755, null, new byte[0]);
  }

  /** A directory entry named without the trailing slash, as oras-go's tar writer names them. */
  TestArchives dirWithoutSlash(String name) {
    return add(name, TarConstants.LF_DIR, 0755, null, new byte[0]);
  }

  TestArchives file(String name, String content) {
    return file(name, content, 0644);
  }

  TestArchives file(String name, String content, int mode) {
    return add(name, TarConstants.LF_NORMAL, mode, null, content.getBytes(StandardCharsets.UTF_8));
  }

  TestArchives symlink(String name, String target) {
    return add(name, TarConstants.LF_SYMLINK, 0777, target, new byte[0]);
  }

  TestArchives hardLink(String name, String target) {
    return add(name, TarConstants.LF_LINK, 0644, target, new byte[0]);
  }

  TestArchives entry(String name, byte type) {
    return add(name, type, 0644, null, new byte[0]);
  }

  private TestArchives add(
      String name, byte type, int mode, @Nullable String link, byte[] content) {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    entry.setMode(mode);
    entry.setSize(content.length);
    entry.setUserName("");
    entry.setGroupName("");
    if (link != null) {
      entry.setLinkName(link);
    }
    entries.add(entry);
    contents.add(content);
    return this;
  }

  /** The uncompressed tar. */
  byte[] tarBytes() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (int i = 0; i < entries.size(); i++) {
          tar.putArchiveEntry(entries.get(i));
          tar.write(contents.get(i));
          tar.closeArchiveEntry();
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] bytes) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(bytes);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A directory blob: the gzip bytes and an oras-style descriptor titled {@code name}. */
  // a test fixture: the bytes are only read, through stream()
  @SuppressWarnings("ArrayRecordComponent")
  record Blob(Descriptor descriptor, byte[] bytes) {
    ByteArrayInputStream stream() {
      return new ByteArrayInputStream(bytes);
    }
  }

  Blob blob(String name) {
    byte[] tar = tarBytes();
    return blob(name, gzip(tar), Digest.sha256(tar).toString());
  }

  static Blob blob(String name, byte[] gzip, @Nullable String tarDigest) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(Annotations.TITLE, name);
    annotations.put(Annotations.ORAS_CONTENT_UNPACK, "true");
    if (tarDigest != null) {
      annotations.put(Annotations.ORAS_CONTENT_DIGEST, tarDigest);
    }
    return new Blob(
        Descriptor.of(MediaTypes.OCI_LAYER_GZIP, gzip).withAnnotations(annotations), gzip);
  }

  /** The entries of a tar+gzip stream, in order. */
  @SuppressWarnings("deprecation")
  static List<TarArchiveEntry> read(byte[] gzip) throws IOException {
    List<TarArchiveEntry> out = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(gzip)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        out.add(entry);
      }
    }
    return out;
  }

  /** The uncompressed bytes of a gzip stream. */
  @SuppressWarnings("deprecation")
  static byte[] gunzip(byte[] gzip) throws IOException {
    try (GzipCompressorInputStream in =
        new GzipCompressorInputStream(new ByteArrayInputStream(gzip), true)) {
      return in.readAllBytes();
    }
  }
}
