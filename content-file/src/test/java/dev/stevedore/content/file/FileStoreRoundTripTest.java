package dev.stevedore.content.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.Storage;
import dev.stevedore.content.Successors;
import dev.stevedore.content.memory.MemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreRoundTripTest {
  @TempDir Path dir;

  /**
   * Copies a graph children-first, skipping nodes the destination has (the copy engine's rule, by
   * hand).
   */
  private static void copy(Storage source, Storage destination, Descriptor node)
      throws IOException {
    for (Descriptor child : Successors.find(source, node, Contents.DEFAULT_MAX_METADATA_BYTES)) {
      copy(source, destination, child);
    }
    if (destination.exists(node)) {
      return;
    }
    try (InputStream in = source.fetch(node)) {
      destination.push(node, in);
    }
  }

  private Path sampleTree() throws IOException {
    Path root = dir.resolve("source/site");
    Files.createDirectories(root.resolve("assets/empty"));
    Files.createDirectories(root.resolve("also-empty"));
    Files.writeString(root.resolve("index.html"), "<h1>hello</h1>\n");
    Files.writeString(root.resolve("assets/style.css"), "h1 { color: red }\n");
    Path script = Files.writeString(root.resolve("assets/build.sh"), "#!/bin/sh\necho build\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(root.resolve("home.html"), Path.of("index.html"));
    Files.createSymbolicLink(root.resolve("assets/latest"), Path.of("../index.html"));
    return root;
  }

  @Test
  void aTreePackedIntoOneFileStoreComesOutIdenticalFromAnother() throws Exception {
    Path tree = sampleTree();
    Path notes = Files.writeString(dir.resolve("source/notes.txt"), "release notes\n");
    Descriptor manifest;
    MemoryStore middle = new MemoryStore();
    FileStoreOptions reproducible = FileStoreOptions.builder().tarReproducible(true).build();
    try (FileStore source = FileStore.open(dir.resolve("work-a"), reproducible)) {
      Descriptor siteLayer = source.add("site", null, tree);
      Descriptor notesLayer = source.add("notes.txt", null, notes);
      manifest =
          Packer.packManifest(
              source,
              PackManifestVersion.V1_1,
              "application/vnd.stevedore.site",
              PackManifestOptions.defaults()
                  .withLayers(List.of(siteLayer, notesLayer))
                  .withManifestAnnotations(Map.of(Annotations.CREATED, "2026-01-01T00:00:00Z")));
      source.tag(manifest, "v1");
      copy(source, middle, source.resolve("v1"));
      middle.tag(manifest, "v1");
    }
    Path out = dir.resolve("work-b");
    try (FileStore destination = FileStore.open(out)) {
      copy(middle, destination, middle.resolve("v1"));
      destination.tag(manifest, "v1");
      assertThat(destination.resolve("v1").digest()).isEqualTo(manifest.digest());
    }
    assertThat(TreeSnapshot.of(out.resolve("site"))).isEqualTo(TreeSnapshot.of(tree));
    assertThat(out.resolve("notes.txt")).hasSameTextualContentAs(notes);
    try (var listing = Files.list(out)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("site", "notes.txt");
    }
  }

  @Test
  void theSnapshotSeesWhatTheRoundTripMustKeep() throws Exception {
    Path tree = sampleTree();
    Map<String, String> before = TreeSnapshot.of(tree);
    Files.setPosixFilePermissions(
        tree.resolve("assets/build.sh"), PosixFilePermissions.fromString("rw-r-----"));
    assertThat(TreeSnapshot.of(tree)).isNotEqualTo(before);
    assertThat(before)
        .containsKeys("also-empty", "assets/empty", "home.html", "assets/latest")
        .containsEntry("home.html", "link -> index.html");
  }
}
