package dev.stevedore.content.file;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** File-tree operations that never follow symbolic links. */
final class Trees {
  static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private static final PosixFilePermission[] PERMISSION_BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ
  };

  private Trees() {}

  /**
   * Deletes a file, a link (not its target) or a directory tree; a missing path is fine.
   *
   * @param root what to delete
   * @throws IOException if something cannot be deleted
   */
  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, NOFOLLOW)) {
      return;
    }
    if (!Files.isDirectory(root, NOFOLLOW)) {
      Files.deleteIfExists(root);
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            // A directory without owner write or execute bits (unpacked 0555) could not be emptied.
            makeOwnerWritable(dir);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (exc instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw exc;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException exc)
              throws IOException {
            if (exc != null) {
              throw exc;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void makeOwnerWritable(Path dir) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, NOFOLLOW);
      if (!perms.contains(PosixFilePermission.OWNER_WRITE)
          || !perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
        Set<PosixFilePermission> more = EnumSet.copyOf(perms);
        more.add(PosixFilePermission.OWNER_WRITE);
        more.add(PosixFilePermission.OWNER_EXECUTE);
        more.add(PosixFilePermission.OWNER_READ);
        Files.setPosixFilePermissions(dir, more);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system, or not ours to change: the deletion itself reports what fails
    }
  }

  /**
   * The permission bits (and set-id and sticky bits) of a file, not following links.
   *
   * @param path the file
   * @param directory whether it is a directory, for the default on non-POSIX file systems
   * @return the mode bits, {@code 07777} at most
   * @throws IOException if the attributes cannot be read
   */
  static int mode(Path path, boolean directory) throws IOException {
    try {
      Object mode = Files.getAttribute(path, "unix:mode", NOFOLLOW);
      if (mode instanceof Integer m) {
        return m & 07777;
      }
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // no "unix" view: fall back to POSIX permissions below
    }
    try {
      int bits = 0;
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, NOFOLLOW);
      for (int i = 0; i < PERMISSION_BITS.length; i++) {
        if (perms.contains(PERMISSION_BITS[i])) {
          bits |= 1 << i;
        }
      }
      return bits;
    } catch (UnsupportedOperationException e) {
      return directory ? 0755 : 0644;
    }
  }

  /**
   * Sets the permission bits ({@code 0777}) of a file or directory; set-id and sticky bits are not
   * settable through NIO and are dropped. A no-op on file systems without POSIX permissions.
   *
   * @param path the file (not a link)
   * @param mode the mode bits
   * @throws IOException if they cannot be set
   */
  static void setMode(Path path, int mode) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < PERMISSION_BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        perms.add(PERMISSION_BITS[i]);
      }
    }
    try {
      Files.setPosixFilePermissions(path, perms);
    } catch (UnsupportedOperationException e) {
      // no POSIX permissions here: nothing to restore
    }
  }

  /**
   * Finds the elements of a directory, sorted by code point (the byte order of their UTF-8 form,
   * the order Go's filepath.Walk uses).
   *
   * @param dir the directory
   * @param order the comparator
   * @return the children
   * @throws IOException if it cannot be listed
   */
  static List<Path> sortedChildren(Path dir, Comparator<String> order) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path child : stream) {
        children.add(child);
      }
    }
    children.sort((a, b) -> order.compare(a.getFileName().toString(), b.getFileName().toString()));
    return children;
  }

  /**
   * Tells whether a path, with every symbolic link resolved, stays inside a directory. A path whose
   * end does not exist is resolved as far as it exists and the rest is applied lexically.
   *
   * @param realRoot the directory, already a real path
   * @param path the path to check (may contain {@code ..} and links)
   * @return true when it resolves to {@code realRoot} or below it
   * @throws IOException if resolution fails for another reason than absence
   */
  static boolean resolvesWithin(Path realRoot, Path path) throws IOException {
    Deque<Path> rest = new ArrayDeque<>();
    Path probe = path;
    while (probe != null && !Files.exists(probe)) {
      Path name = probe.getFileName();
      if (name != null) {
        rest.push(name);
      }
      probe = probe.getParent();
    }
    if (probe == null) {
      return false;
    }
    Path resolved = probe.toRealPath();
    for (Path name : rest) {
      resolved = resolved.resolve(name);
    }
    return resolved.normalize().startsWith(realRoot);
  }

  /**
   * Moves the content of {@code source} into the existing directory {@code target}: directories
   * present in both are merged, anything else in {@code target} (files, links) is replaced, never
   * written through. Directory modes are left to the caller. Checks first that no directory of
   * {@code target} would have to be replaced by a file, so a conflict leaves {@code target}
   * untouched.
   *
   * @param source the staged tree
   * @param target the existing directory
   * @param name the blob's name, for messages
   * @throws FileStoreException if a directory of {@code target} would be replaced by a
   *     non-directory
   * @throws IOException if moving fails
   */
  static void merge(Path source, Path target, String name) throws IOException {
    checkMergeable(source, target, name);
    mergeChecked(source, target);
  }

  private static void checkMergeable(Path source, Path target, String name) throws IOException {
    for (Path child : sortedChildren(source, String::compareTo)) {
      Path existing = target.resolve(child.getFileName().toString());
      boolean existingDir = Files.isDirectory(existing, NOFOLLOW);
      boolean incomingDir = Files.isDirectory(child, NOFOLLOW);
      if (existingDir && !incomingDir) {
        throw new FileStoreException(
            FileStoreException.Reason.PATH_CONFLICT,
            name,
            "cannot unpack "
                + name
                + ": the directory "
                + existing
                + " is in the way of a file of the same name;"
                + " remove it or pull into another working directory");
      }
      if (existingDir) {
        checkMergeable(child, existing, name);
      }
    }
  }

  private static void mergeChecked(Path source, Path target) throws IOException {
    for (Path child : sortedChildren(source, String::compareTo)) {
      Path existing = target.resolve(child.getFileName().toString());
      if (Files.isDirectory(child, NOFOLLOW) && Files.isDirectory(existing, NOFOLLOW)) {
        mergeChecked(child, existing);
        continue;
      }
      Files.deleteIfExists(existing);
      move(child, existing);
    }
  }

  /**
   * Renames {@code source} to {@code target} atomically where the file system can, replacing a file
   * (not a non-empty directory) at {@code target}.
   *
   * @param source the file or directory to move
   * @param target where
   * @throws IOException if the move fails
   */
  static void move(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
