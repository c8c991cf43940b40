package dev.stevedore.content.file;

import dev.stevedore.content.Digest;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a directory tree holds, for comparing trees: relative path → type, permissions, content or
 * link target.
 */
final class TreeSnapshot {
  private TreeSnapshot() {}

  static Map<String, String> of(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            out.put(name(dir), "dir " + perms(dir));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isSymbolicLink()) {
              out.put(name(file), "link -> " + Files.readSymbolicLink(file));
            } else {
              // test trees are small: reading them whole is fine here
              out.put(
                  name(file),
                  "file " + perms(file) + " " + Digest.sha256(Files.readAllBytes(file)));
            }
            return FileVisitResult.CONTINUE;
          }

          private String name(Path p) {
            return root.relativize(p).toString();
          }
        });
    return out;
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
