package dev.stevedore.content.file;

import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.Digester;
import dev.stevedore.content.file.FileStoreException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Unpacks a verified tar+gzip directory blob into an empty staging directory, refusing anything
 * that could write outside it, and checks the uncompressed tar against its digest.
 *
 * <p>Refused ({@link Reason#UNSAFE_ARCHIVE_ENTRY}): an entry that is not the blob's title or below
 * it (absolute, {@code ..} escapes, a sibling name); an entry whose parent is a symbolic link (it
 * would be written through the link); a symbolic link that is absolute or points, lexically or once
 * resolved on disk, outside the tree; a hard link to anything but a regular file unpacked earlier
 * in the tree; device files, FIFOs and unknown entry types; a root that is not a directory.
 *
 * <p>Directory modes and times are not set on the staged tree but returned, to apply once the tree
 * is in place (a read-only directory could not be emptied by the move otherwise).
 */
final class DirectoryUnpacker {
  private static final int BUFFER = 64 * 1024;

  /**
   * A directory's mode and time, to apply after the tree is in place.
   *
   * @param relative the directory's path below the tree's root ("" for the root)
   * @param mode its mode bits
   * @param time its modification time
   */
  record DirectoryAttributes(String relative, int mode, FileTime time) {}

  private final Path staging;
  private final Path realStaging;
  private final String name;
  private final List<String> base;
  private final byte[] buffer = new byte[BUFFER];
  private final List<DirectoryAttributes> directories = new ArrayList<>();
  private final List<Path> symlinks = new ArrayList<>();

  private DirectoryUnpacker(Path staging, String name) throws IOException {
    this.staging = staging;
    this.realStaging = staging.toRealPath();
    this.name = name;
    this.base = ArchivePath.clean(name);
  }

  /**
   * Unpacks {@code gzipFile} into {@code staging}.
   *
   * @param gzipFile the verified tar+gzip blob
   * @param name the blob's title: every entry must be it or lie below it
   * @param tarDigest the expected digest of the uncompressed tar, or null to skip that check
   * @param staging an empty directory that becomes the tree's root
   * @param maxBytes the most the uncompressed tar may hold
   * @param limitSource how the caller set {@code maxBytes}, for the message
   * @return the directory attributes to apply once the tree is in place
   * @throws FileStoreException if an entry is unsafe or unsupported, or the tar is larger than
   *     {@code maxBytes} ({@link Reason#UNPACK_LIMIT_EXCEEDED})
   * @throws DigestMismatchException if the uncompressed tar does not match {@code tarDigest}
   * @throws IOException if reading or writing fails, or the stream is not tar+gzip
   */
  static List<DirectoryAttributes> unpack(
      Path gzipFile,
      String name,
      @Nullable Digest tarDigest,
      Path staging,
      long maxBytes,
      String limitSource)
      throws IOException {
    DirectoryUnpacker unpacker = new DirectoryUnpacker(staging, name);
    try (InputStream file = Files.newInputStream(gzipFile);
        CappedInputStream gunzip =
            new CappedInputStream(new GzipCompressorInputStream(file, true), maxBytes)) {
      try {
        return unpacker.run(gunzip, tarDigest);
      } catch (IOException e) {
        if (gunzip.exceeded()) {
          throw new FileStoreException(
              Reason.UNPACK_LIMIT_EXCEEDED,
              name,
              "cannot unpack "
                  + name
                  + ": it decompresses to more than "
                  + maxBytes
                  + " bytes, the limit ("
                  + limitSource
                  + "); nothing"
                  + " was written. If you trust it, raise FileStoreOptions.maxUnpackedBytes or maxUnpackRatio,"
                  + " or keep it packed with skipUnpack",
              e);
        }
        throw e;
      }
    }
  }

  @SuppressWarnings("deprecation") // the stream constructors; their builders need commons-io types
  private List<DirectoryAttributes> run(InputStream gunzip, @Nullable Digest tarDigest)
      throws IOException {
    Digester digester = Digester.of(tarDigest == null ? Digest.SHA256 : tarDigest.algorithm());
    try (HashingInputStream hashed = new HashingInputStream(gunzip, digester);
        TarArchiveInputStream tar =
            new TarArchiveInputStream(hashed, StandardCharsets.UTF_8.name())) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        extract(tar, entry);
      }
      // The digest covers the whole uncompressed stream, trailing blocks included.
      hashed.drain();
    }
    Digest actual = digester.digest();
    if (tarDigest != null && !tarDigest.equals(actual)) {
      throw new DigestMismatchException(
          name
              + ": the uncompressed tar has digest "
              + actual
              + " but the"
              + " io.deis.oras.content.digest annotation says "
              + tarDigest
              + "; the blob is corrupt or was"
              + " packed wrongly, nothing was unpacked",
          tarDigest,
          actual);
    }
    for (Path link : symlinks) {
      if (!Trees.resolvesWithin(realStaging, link)) {
        throw unsafe(
            "the symbolic link "
                + relative(link)
                + " -> "
                + Files.readSymbolicLink(link)
                + " resolves outside the directory");
      }
    }
    directories.sort(
        Comparator.comparingInt((DirectoryAttributes d) -> depth(d.relative())).reversed());
    return List.copyOf(directories);
  }

  private void extract(TarArchiveInputStream tar, TarArchiveEntry entry) throws IOException {
    List<String> rel = below(entry.getName(), "entry");
    Path path = resolve(rel, entry.getName());
    requireNoLinkOnTheWay(path, entry.getName());
    if (entry.isSymbolicLink()) {
      extractSymlink(entry, rel, path);
    } else if (entry.isLink()) {
      extractHardLink(entry, rel, path);
    } else if (entry.isDirectory()) {
      extractDirectory(entry, rel, path);
    } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      throw unsafe(
          "the entry " + entry.getName() + " is a device file; device files are never unpacked");
    } else if (entry.isFIFO()) {
      throw unsafe("the entry " + entry.getName() + " is a FIFO; FIFOs are never unpacked");
    } else if (isRegularFile(entry)) {
      extractFile(tar, entry, rel, path);
    } else {
      throw unsafe(
          "the entry "
              + entry.getName()
              + " has the unsupported type '"
              + (char) entry.getLinkFlag()
              + "'; only regular files, directories, symbolic and hard links are unpacked");
    }
  }

  private void extractDirectory(TarArchiveEntry entry, List<String> rel, Path path)
      throws IOException {
    if (!rel.isEmpty()) {
      clearWay(path, entry.getName(), true);
      if (!Files.isDirectory(path, Trees.NOFOLLOW)) {
        Files.createDirectories(path.getParent());
        Files.createDirectory(path);
      }
    }
    directories.add(
        new DirectoryAttributes(
            ArchivePath.join(rel), entry.getMode() & 07777, entry.getLastModifiedTime()));
  }

  private void extractFile(
      TarArchiveInputStream tar, TarArchiveEntry entry, List<String> rel, Path path)
      throws IOException {
    requireNotRoot(rel, entry);
    clearWay(path, entry.getName(), false);
    Files.createDirectories(path.getParent());
    try (FileChannel channel =
            FileChannel.open(
                path,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        OutputStream out = Channels.newOutputStream(channel)) {
      int n;
      while ((n = tar.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    }
    Trees.setMode(path, entry.getMode());
    Files.setLastModifiedTime(path, entry.getLastModifiedTime());
  }

  private void extractSymlink(TarArchiveEntry entry, List<String> rel, Path path)
      throws IOException {
    requireNotRoot(rel, entry);
    String target = entry.getLinkName();
    if (target.isEmpty() || target.startsWith("/")) {
      throw unsafe(
          "the symbolic link "
              + entry.getName()
              + " -> "
              + target
              + " is "
              + (target.isEmpty() ? "empty" : "absolute")
              + "; only links relative to the directory are unpacked");
    }
    List<String> resolved = new ArrayList<>(base);
    resolved.addAll(rel.subList(0, rel.size() - 1));
    String lexical = ArchivePath.join(resolved) + "/" + target;
    if (ArchivePath.below(base, lexical).isEmpty()) {
      throw unsafe(
          "the symbolic link "
              + entry.getName()
              + " -> "
              + target
              + " points outside the directory");
    }
    clearWay(path, entry.getName(), false);
    Files.createDirectories(path.getParent());
    Path linkTarget;
    try {
      linkTarget = path.getFileSystem().getPath(target);
    } catch (InvalidPathException e) {
      throw unsafe(
          "the symbolic link " + entry.getName() + " has an invalid target: " + e.getMessage());
    }
    Files.createSymbolicLink(path, linkTarget);
    symlinks.add(path);
  }

  private void extractHardLink(TarArchiveEntry entry, List<String> rel, Path path)
      throws IOException {
    requireNotRoot(rel, entry);
    String target = entry.getLinkName();
    Optional<List<String>> targetRel = ArchivePath.below(base, target);
    if (targetRel.isEmpty() || targetRel.get().isEmpty()) {
      throw unsafe(
          "the hard link " + entry.getName() + " -> " + target + " points outside the directory");
    }
    Path existing = resolve(targetRel.get(), target);
    requireNoLinkOnTheWay(existing, target);
    if (!Files.isRegularFile(existing, Trees.NOFOLLOW)) {
      throw unsafe(
          "the hard link "
              + entry.getName()
              + " -> "
              + target
              + " does not point at a regular file unpacked before it");
    }
    clearWay(path, entry.getName(), false);
    Files.createDirectories(path.getParent());
    try {
      Files.createLink(path, existing);
    } catch (UnsupportedOperationException | FileSystemException e) {
      // no hard links on this file system: a copy holds the same bytes
      Files.copy(existing, path, LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static boolean isRegularFile(TarArchiveEntry entry) {
    byte type = entry.getLinkFlag();
    return type == TarConstants.LF_NORMAL
        || type == TarConstants.LF_OLDNORM
        || type == TarConstants.LF_CONTIG
        || (entry.isSparse() && entry.isFile());
  }

  /**
   * Removes what an earlier entry of the same name left, never a non-empty tree and never through a
   * link.
   */
  private void clearWay(Path path, String entryName, boolean directory) throws IOException {
    if (!Files.exists(path, Trees.NOFOLLOW)) {
      return;
    }
    if (Files.isDirectory(path, Trees.NOFOLLOW)) {
      if (directory) {
        return;
      }
      throw unsafe("the entry " + entryName + " would replace a directory unpacked before it");
    }
    Files.delete(path);
  }

  private List<String> below(String entryName, String what) throws FileStoreException {
    Optional<List<String>> rel = ArchivePath.below(base, entryName);
    if (rel.isEmpty()) {
      throw unsafe("the " + what + " " + entryName + " is outside the directory " + name);
    }
    return rel.get();
  }

  private Path resolve(List<String> rel, String entryName) throws FileStoreException {
    Path path = staging;
    try {
      for (String element : rel) {
        Path next = path.resolve(element);
        if (!path.equals(next.getParent())) {
          throw unsafe(
              "the entry "
                  + entryName
                  + " has an element that is not a plain file name: "
                  + element);
        }
        path = next;
      }
    } catch (InvalidPathException e) {
      throw unsafe("the entry " + entryName + " is not a valid path here: " + e.getMessage());
    }
    return path;
  }

  private void requireNoLinkOnTheWay(Path path, String entryName) throws FileStoreException {
    for (Path p = path.getParent();
        p != null && p.startsWith(staging) && !p.equals(staging);
        p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw unsafe(
            "the entry "
                + entryName
                + " would be written through the symbolic link "
                + relative(p));
      }
    }
  }

  private void requireNotRoot(List<String> rel, TarArchiveEntry entry) throws FileStoreException {
    if (rel.isEmpty()) {
      throw unsafe("the root entry " + entry.getName() + " is not a directory");
    }
  }

  private String relative(Path path) {
    String rel = staging.relativize(path).toString();
    return base.isEmpty() ? rel : ArchivePath.join(base) + "/" + rel;
  }

  private FileStoreException unsafe(String detail) {
    return new FileStoreException(
        Reason.UNSAFE_ARCHIVE_ENTRY,
        name,
        "cannot unpack " + name + ": " + detail + "; nothing was written");
  }

  private static int depth(String relative) {
    return relative.isEmpty() ? 0 : relative.split("/").length;
  }
}
