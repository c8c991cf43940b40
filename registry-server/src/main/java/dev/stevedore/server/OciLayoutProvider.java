package dev.stevedore.server;

import dev.stevedore.content.Digest;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.Reference;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** OCI layouts: one per repository under a root, or one layout as a single named repository. */
final class OciLayoutProvider implements RepositoryProvider {
  private static final String LAYOUT_FILE = "oci-layout";

  private final Path root;
  private final @Nullable String singleName;

  OciLayoutProvider(Path root, @Nullable String singleName) {
    if (singleName != null && !Reference.isValidRepository(singleName)) {
      throw new IllegalArgumentException(
          "repository name \""
              + singleName
              + "\" breaks the grammar: lower-case letters and digits, separated by . _ __ - or /");
    }
    this.root = root.toAbsolutePath().normalize();
    this.singleName = singleName;
  }

  private Path directory(String name) {
    if (singleName != null) {
      return root;
    }
    Path dir = root.resolve(name).normalize();
    if (!dir.startsWith(root) || dir.equals(root)) {
      throw new IllegalArgumentException("repository name \"" + name + "\" leaves " + root);
    }
    return dir;
  }

  @Override
  public Optional<GraphTarget> open(String name) throws IOException {
    if (singleName != null && !singleName.equals(name)) {
      return Optional.empty();
    }
    Path dir = directory(name);
    if (!Files.isRegularFile(dir.resolve(LAYOUT_FILE))) {
      return Optional.empty();
    }
    return Optional.of(OciLayoutStore.open(dir));
  }

  @Override
  public GraphTarget create(String name) throws IOException {
    if (singleName != null && !singleName.equals(name)) {
      throw new UnsupportedContentException(
          "this server serves the single repository \""
              + singleName
              + "\" (the layout "
              + root
              + "); push to that name");
    }
    Path dir = directory(name);
    for (Path p = dir.getParent();
        p != null && p.startsWith(root) && !p.equals(root);
        p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(LAYOUT_FILE))) {
        throw new UnsupportedContentException(
            "cannot create repository \""
                + name
                + "\": "
                + p
                + " is already a layout, and a layout cannot hold another");
      }
    }
    Files.createDirectories(dir);
    return OciLayoutStore.open(dir);
  }

  @Override
  public List<String> repositories() throws IOException {
    if (singleName != null) {
      return Files.isRegularFile(root.resolve(LAYOUT_FILE)) ? List.of(singleName) : List.of();
    }
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            if (Files.isRegularFile(dir.resolve(LAYOUT_FILE))) {
              String name =
                  root.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), "/");
              if (Reference.isValidRepository(name)) {
                names.add(name);
              }
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            return FileVisitResult.CONTINUE;
          }
        });
    names.sort(null);
    return names;
  }

  @Override
  public OptionalLong blobSize(String name, GraphTarget store, Digest digest) throws IOException {
    if (!(store instanceof OciLayoutStore layout)) {
      return OptionalLong.empty();
    }
    Path blob =
        layout.root().resolve("blobs").resolve(digest.algorithm()).resolve(digest.encoded());
    try {
      BasicFileAttributes attributes = Files.readAttributes(blob, BasicFileAttributes.class);
      return attributes.isRegularFile() ? OptionalLong.of(attributes.size()) : OptionalLong.empty();
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public String toString() {
    return singleName != null
        ? "the OCI layout " + root + " as " + singleName
        : "OCI layouts under " + root;
  }
}
