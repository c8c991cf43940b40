package dev.stevedore.content.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreAddTest {
  @TempDir Path dir;

  // each test opens the store (open) before it uses it; close() skips a test that did not
  @SuppressWarnings("NullAway.Init")
  private FileStore store;

  private FileStore open(FileStoreOptions options) {
    store = FileStore.open(dir.resolve("work"), options);
    return store;
  }

  @AfterEach
  void close() throws IOException {
    if (store != null) {
      store.close();
    }
  }

  private static byte[] fetchAll(FileStore store, Descriptor desc) throws IOException {
    try (InputStream in = store.fetch(desc)) {
      return in.readAllBytes();
    }
  }

  private Path sampleTree(String name) throws IOException {
    Path root = dir.resolve(name);
    Files.createDirectories(root.resolve("sub/empty"));
    Files.writeString(root.resolve("b.txt"), "bee");
    Files.writeString(root.resolve("a.txt"), "ay");
    Files.writeString(root.resolve("sub/run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(
        root.resolve("sub/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(root.resolve("link"), Path.of("sub/run.sh"));
    return root;
  }

  @Test
  void addOfAFileGivesATitledBlobWithTheDefaultFileMediaType() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello");
    Descriptor desc = store.add("hello.txt", null, file);
    assertThat(desc.mediaType()).isEqualTo(MediaTypes.OCI_LAYER);
    assertThat(desc.digest()).isEqualTo(Digest.sha256("hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(desc.size()).isEqualTo(5);
    assertThat(desc.annotations())
        .containsExactlyEntriesOf(java.util.Map.of(Annotations.TITLE, "hello.txt"));
  }

  @Test
  void addKeepsAGivenMediaType() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path file = Files.writeString(dir.resolve("c.json"), "{}");
    assertThat(store.add("c.json", "application/json", file).mediaType())
        .isEqualTo("application/json");
  }

  @Test
  void addResolvesARelativePathAndAMissingPathAgainstTheWorkingDirectory() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Files.createDirectories(store.workingDirectory());
    Files.writeString(store.workingDirectory().resolve("in-work.txt"), "here");
    Descriptor byName = store.add("in-work.txt", null, null);
    assertThat(fetchAll(store, byName)).asString(StandardCharsets.UTF_8).isEqualTo("here");
  }

  @Test
  void addedFileCanBeFetched() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path file = Files.writeString(dir.resolve("data.bin"), "payload");
    Descriptor desc = store.add("data.bin", file);
    assertThat(store.exists(desc)).isTrue();
    assertThat(fetchAll(store, desc)).asString(StandardCharsets.UTF_8).isEqualTo("payload");
  }

  @Test
  void addOfADirectoryGivesATarGzipBlobWithOrasAnnotations() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = store.add("tree", sampleTree("tree"));
    assertThat(desc.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
    assertThat(desc.annotation(Annotations.TITLE)).isEqualTo("tree");
    assertThat(desc.annotation(Annotations.ORAS_CONTENT_UNPACK)).isEqualTo("true");
    byte[] gzip = fetchAll(store, desc);
    assertThat(Digest.sha256(gzip)).isEqualTo(desc.digest());
    assertThat(gzip).hasSize((int) desc.size());
    assertThat(desc.annotation(Annotations.ORAS_CONTENT_DIGEST))
        .isEqualTo(Digest.sha256(TestArchives.gunzip(gzip)).toString());
  }

  @Test
  void packedDirectoryListsTheRootFirstAndChildrenSortedUnderTheName() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = store.add("tree", sampleTree("tree"));
    List<String> names =
        TestArchives.read(fetchAll(store, desc)).stream().map(TarArchiveEntry::getName).toList();
    assertThat(names)
        .containsExactly(
            "tree/",
            "tree/a.txt",
            "tree/b.txt",
            "tree/link",
            "tree/sub/",
            "tree/sub/empty/",
            "tree/sub/run.sh");
  }

  @Test
  void packedEntriesHaveNoOwnerAndKeepModesAndLinks() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = store.add("tree", sampleTree("tree"));
    List<TarArchiveEntry> entries = TestArchives.read(fetchAll(store, desc));
    assertThat(entries)
        .allSatisfy(
            e -> {
              assertThat(e.getLongUserId()).isZero();
              assertThat(e.getLongGroupId()).isZero();
              assertThat(e.getUserName()).isEmpty();
              assertThat(e.getGroupName()).isEmpty();
            });
    TarArchiveEntry script =
        entries.stream()
            .filter(e -> e.getName().equals("tree/sub/run.sh"))
            .findFirst()
            .orElseThrow();
    assertThat(script.getMode() & 0777).isEqualTo(0755);
    TarArchiveEntry link =
        entries.stream().filter(e -> e.getName().equals("tree/link")).findFirst().orElseThrow();
    assertThat(link.isSymbolicLink()).isTrue();
    assertThat(link.getLinkName()).isEqualTo("sub/run.sh");
  }

  @Test
  void reproducibleTarZeroesEveryTime() throws Exception {
    FileStore store = open(FileStoreOptions.builder().tarReproducible(true).build());
    Descriptor desc = store.add("tree", sampleTree("tree"));
    assertThat(TestArchives.read(fetchAll(store, desc)))
        .allSatisfy(e -> assertThat(e.getLastModifiedTime().toMillis()).isZero());
  }

  @Test
  void reproducibleTarGivesTheSameDigestsForTheSameTreeWithOtherTimes() throws Exception {
    FileStore store = open(FileStoreOptions.builder().tarReproducible(true).build());
    Path first = sampleTree("first");
    Path second = sampleTree("second");
    Files.setLastModifiedTime(second.resolve("a.txt"), FileTime.fromMillis(1_000_000_000_000L));
    Files.setLastModifiedTime(second.resolve("sub"), FileTime.fromMillis(1_200_000_000_000L));
    Descriptor one = store.add("tree", first);
    Descriptor two;
    try (FileStore other =
        FileStore.open(
            dir.resolve("other"), FileStoreOptions.builder().tarReproducible(true).build())) {
      two = other.add("tree", second);
    }
    assertThat(two.digest()).isEqualTo(one.digest());
    assertThat(two.annotations()).isEqualTo(one.annotations());
  }

  @Test
  void nonReproducibleTarKeepsModificationTimes() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path tree = sampleTree("tree");
    Files.setLastModifiedTime(tree.resolve("a.txt"), FileTime.fromMillis(1_000_000_000_000L));
    List<TarArchiveEntry> entries = TestArchives.read(fetchAll(store, store.add("tree", tree)));
    TarArchiveEntry a =
        entries.stream().filter(e -> e.getName().equals("tree/a.txt")).findFirst().orElseThrow();
    assertThat(a.getLastModifiedTime().toMillis()).isEqualTo(1_000_000_000_000L);
  }

  @Test
  void addingANameTwiceIsRefused() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path one = Files.writeString(dir.resolve("one.txt"), "1");
    Path two = Files.writeString(dir.resolve("two.txt"), "2");
    store.add("same", one);
    assertThatThrownBy(() -> store.add("same", two))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.DUPLICATE_NAME))
        .hasMessageContaining("same");
  }

  @Test
  void addOfAMissingPathIsNotFound() {
    FileStore store = open(FileStoreOptions.defaults());
    assertThatThrownBy(() -> store.add("ghost", dir.resolve("ghost")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("ghost");
  }

  @Test
  void addWithoutANameIsRefused() {
    FileStore store = open(FileStoreOptions.defaults());
    assertThatThrownBy(() -> store.add("", dir))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.INVALID_NAME));
  }

  @Test
  void aFailedAddLeavesTheNameFree() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path later = dir.resolve("later.txt");
    assertThatThrownBy(() -> store.add("later", later)).isInstanceOf(NotFoundException.class);
    Files.writeString(later, "now it exists");
    assertThat(store.add("later", later).size()).isEqualTo(13);
  }

  @Test
  void longAndNonAsciiNamesSurviveAPackAndAnUnpack() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path tree = dir.resolve("names");
    String longDir = "d".repeat(120) + "/" + "e".repeat(120);
    Files.createDirectories(tree.resolve(longDir));
    Files.writeString(tree.resolve(longDir).resolve("f".repeat(100) + ".txt"), "long");
    Files.writeString(tree.resolve("gr\u00fc\u00dfe-\u65e5\u672c.txt"), "unicode");
    Descriptor desc = store.add("names", tree);
    try (FileStore other = FileStore.open(dir.resolve("other"));
        InputStream in = store.fetch(desc)) {
      other.push(desc, in);
      assertThat(TreeSnapshot.of(other.workingDirectory().resolve("names")))
          .isEqualTo(TreeSnapshot.of(tree));
    }
  }

  @Test
  void hardLinksInAnAddedDirectoryArePackedAsRegularFiles() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path tree = Files.createDirectories(dir.resolve("linked"));
    Path original = Files.writeString(tree.resolve("a.txt"), "same inode");
    Files.createLink(tree.resolve("b.txt"), original);
    List<TarArchiveEntry> entries = TestArchives.read(fetchAll(store, store.add("linked", tree)));
    assertThat(entries)
        .filteredOn(e -> !e.isDirectory())
        .allSatisfy(e -> assertThat(e.isFile() && !e.isLink()).isTrue())
        .extracting(TarArchiveEntry::getSize)
        .containsExactly(10L, 10L);
  }
}
