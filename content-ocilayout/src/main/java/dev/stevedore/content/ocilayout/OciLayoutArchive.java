package dev.stevedore.content.ocilayout;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.PageConsumer;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.TagLister;
import dev.stevedore.content.VerifyingInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.jspecify.annotations.Nullable;

/**
 * An OCI image layout packed as a tar archive (skopeo's {@code oci-archive}), read in place:
 * nothing is extracted; each blob is read from its offset in the tar file. A {@link
 * ReadOnlyGraphTarget} with {@link TagLister}: tags resolve from the archive's index.json, digests
 * of manifests reachable from it resolve too, and predecessors are known for the whole graph.
 * Fetches are verified unless the options turn verification off.
 *
 * <p>Get one with {@link OciLayoutStore#openArchive(Path)}. Entries with an absolute path or a
 * {@code ..} component make the whole archive refused. Thread-safe; close it to release the file.
 */
public final class OciLayoutArchive implements ReadOnlyGraphTarget, TagLister, Closeable {
  private final Path file;
  private final FileChannel channel;
  private final OciLayoutOptions options;
  private final Map<String, Entry> entries;
  private final IndexDocument index;
  private final GraphWalker walker;

  private record Entry(long offset, long size) {}

  private OciLayoutArchive(
      Path file, FileChannel channel, OciLayoutOptions options, Map<String, Entry> entries)
      throws IOException {
    this.file = file;
    this.channel = channel;
    this.options = options;
    this.entries = entries;
    byte[] layout = small(LayoutFiles.LAYOUT_FILE, LayoutFiles.MAX_LAYOUT_FILE_BYTES);
    LayoutFiles.checkLayoutFile(layout, file + "!/" + LayoutFiles.LAYOUT_FILE);
    this.index =
        IndexDocument.parse(
            small(LayoutFiles.INDEX_FILE, options.maxIndexBytes()),
            file + "!/" + LayoutFiles.INDEX_FILE);
    this.walker = new GraphWalker(this::fetchRaw, options.maxMetadataBytes(), file.toString());
    walker.walk(index.entries());
  }

  static OciLayoutArchive open(Path file, OciLayoutOptions options) throws IOException {
    Objects.requireNonNull(file, "archive");
    Objects.requireNonNull(options, "options");
    Map<String, Entry> entries = listEntries(file);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new OciLayoutArchive(file, channel, options, entries);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Map<String, Entry> listEntries(Path file) throws IOException {
    List<TarArchiveEntry> tarEntries;
    try (TarFile tar = new TarFile(file)) {
      tarEntries = tar.getEntries();
    } catch (IOException | IllegalArgumentException e) {
      if (e instanceof java.nio.file.NoSuchFileException) {
        throw new NotFoundException(file + ": no such archive", e);
      }
      throw new ContentException(
          file
              + ": not a readable tar archive: "
              + e.getMessage()
              + "; an oci-archive is an uncompressed tar of an OCI layout",
          e);
    }
    Map<String, Entry> out = new HashMap<>();
    for (TarArchiveEntry entry : tarEntries) {
      String name = normalize(entry.getName(), file);
      if (name.isEmpty() || !entry.isFile()) {
        continue;
      }
      if (entry.isSparse()) {
        throw new ContentException(
            file + ": entry " + name + " is a sparse file, which an OCI archive never holds");
      }
      out.put(
          name,
          new Entry(
              entry.getDataOffset(), entry.getSize())); // a later entry of a name wins, as in tar
    }
    return Map.copyOf(out);
  }

  /** Strips {@code ./} prefixes; refuses absolute names and {@code ..} components. */
  private static String normalize(String raw, Path file) throws ContentException {
    String name = raw.replace('\\', '/');
    if (name.startsWith("/") || (name.length() > 1 && name.charAt(1) == ':')) {
      throw new ContentException(
          file + ": entry \"" + raw + "\" has an absolute path; refusing the archive");
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/", -1)) {
      if (part.equals("..")) {
        throw new ContentException(
            file
                + ": entry \""
                + raw
                + "\" climbs out of the archive with '..'; refusing the archive");
      }
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  private byte[] small(String name, long maxBytes) throws IOException {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new InvalidDescriptorException(
          file + ": no " + name + " in the archive; it is not an OCI layout archive");
    }
    if (entry.size() > maxBytes) {
      throw new InvalidDescriptorException(
          file + "!/" + name + ": " + entry.size() + " bytes exceeds the limit of " + maxBytes);
    }
    try (InputStream in = new ChannelRangeInputStream(channel, entry.offset(), entry.size())) {
      return Contents.readLimited(in, maxBytes);
    }
  }

  /**
   * The archive file.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    InputStream raw = fetchRaw(target);
    return options.verifyOnFetch() ? new VerifyingInputStream(raw, target) : raw;
  }

  private InputStream fetchRaw(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    Entry entry = entries.get(LayoutFiles.blobEntryName(target.digest()));
    if (entry == null) {
      throw new NotFoundException(
          target.digest() + ": " + target.mediaType() + ": not found in " + file, target.digest());
    }
    if (entry.size() != target.size()) {
      throw new DigestMismatchException(
          target.digest()
              + ": archive entry has "
              + entry.size()
              + " bytes, its descriptor says "
              + target.size()
              + "; the archive "
              + file
              + " is corrupt",
          target.digest(),
          null);
    }
    return new ChannelRangeInputStream(channel, entry.offset(), entry.size());
  }

  @Override
  public boolean exists(Descriptor target) {
    Entry entry = entries.get(LayoutFiles.blobEntryName(target.digest()));
    return entry != null && entry.size() == target.size();
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    Objects.requireNonNull(reference, "reference");
    if (reference.isEmpty()) {
      throw new InvalidReferenceException("empty reference: give a tag or a digest");
    }
    Descriptor tagged = index.tagged(reference);
    if (tagged != null) {
      return tagged;
    }
    Digest digest = Digest.tryParse(reference).orElse(null);
    if (digest != null) {
      Descriptor entry = index.entry(digest);
      Descriptor found = entry != null ? entry.plain() : walker.known(digest);
      if (found != null && exists(found)) {
        return found;
      }
    }
    throw new NotFoundException(reference + ": not found in " + file, reference);
  }

  @Override
  public List<Descriptor> predecessors(Descriptor node) {
    return walker.graph().predecessors(node);
  }

  @Override
  public void tags(@Nullable String last, PageConsumer<String> consumer) throws IOException {
    NavigableSet<String> names = index.tagNames();
    consumer.accept(
        List.copyOf(last == null || last.isEmpty() ? names : names.tailSet(last, false)));
  }

  /**
   * The descriptors the archive's index.json lists, as they are written there.
   *
   * @return the entries, in file order
   */
  public List<Descriptor> indexEntries() {
    return index.entries();
  }

  /** Closes the archive file; streams still open fail on their next read. */
  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "OciLayoutArchive[" + file + "]";
  }

  /** Reads a range of a file with positional reads, so many streams can share one channel. */
  private static final class ChannelRangeInputStream extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    ChannelRangeInputStream(FileChannel channel, long offset, long size) {
      this.channel = channel;
      this.position = offset;
      this.end = offset + size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (position >= end) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
      if (n < 0) {
        throw new IOException("archive ended early: it is truncated");
      }
      position += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, Math.min(n, end - position));
      position += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, end - position);
    }
  }
}
