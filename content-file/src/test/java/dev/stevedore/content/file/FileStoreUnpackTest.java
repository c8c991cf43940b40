package dev.stevedore.content.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.file.FileStoreException.Reason;
import dev.stevedore.testing.StorageContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FileStoreUnpackTest {
  @TempDir Path dir;

  // each test opens the store (open) before it uses it; close() skips a test that did not
  @SuppressWarnings("NullAway.Init")
  private FileStore store;

  private FileStore open(FileStoreOptions options) throws IOException {
    store = FileStore.open(Files.createDirectories(dir.resolve("work")), options);
    return store;
  }

  @AfterEach
  void close() throws IOException {
    if (store != null) {
      store.close();
    }
  }

  private Path work() {
    return store.workingDirectory();
  }

  /** Everything under the test's temporary directory, the working directory included. */
  private List<String> everything() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  private void assertRefused(TestArchives.Blob blob, Reason reason, String messagePart)
      throws IOException {
    List<String> before = everything();
    assertThatThrownBy(() -> store.push(blob.descriptor(), blob.stream()))
        .isInstanceOfSatisfying(
            FileStoreException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
    assertThat(everything()).as("nothing written anywhere").isEqualTo(before);
  }

  @Test
  void pushOfADirectoryBlobUnpacksFilesDirectoriesModesAndLinks() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar()
            .dir("pkg")
            .file("pkg/readme.md", "read me")
            .dir("pkg/bin")
            .file("pkg/bin/tool", "#!/bin/sh\n", 0755)
            .dir("pkg/empty")
            .symlink("pkg/tool", "bin/tool")
            .hardLink("pkg/copy.md", "pkg/readme.md")
            .blob("pkg");
    store.push(blob.descriptor(), blob.stream());
    Path pkg = work().resolve("pkg");
    assertThat(pkg.resolve("readme.md")).hasContent("read me");
    assertThat(pkg.resolve("copy.md")).hasContent("read me");
    assertThat(pkg.resolve("empty")).isEmptyDirectory();
    assertThat(Files.readSymbolicLink(pkg.resolve("tool"))).isEqualTo(Path.of("bin/tool"));
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(pkg.resolve("bin/tool"))))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void unpackedDirectoryBlobIsFetchedAsTheVerifiedGzip() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob = TestArchives.tar().dir("d").file("d/f", "f").blob("d");
    store.push(blob.descriptor(), blob.stream());
    assertThat(store.exists(blob.descriptor())).isTrue();
    try (InputStream in = store.fetch(blob.descriptor())) {
      assertThat(in.readAllBytes()).isEqualTo(blob.bytes());
    }
  }

  @Test
  void skipUnpackWritesTheDirectoryBlobAsAFile() throws Exception {
    open(FileStoreOptions.builder().skipUnpack(true).build());
    TestArchives.Blob blob = TestArchives.tar().dir("d").file("d/f", "f").blob("d");
    store.push(blob.descriptor(), blob.stream());
    assertThat(work().resolve("d")).isRegularFile().hasBinaryContent(blob.bytes());
  }

  @Test
  void unpackMergesIntoAnExistingDirectory() throws Exception {
    open(FileStoreOptions.defaults());
    Files.createDirectories(work().resolve("d/sub"));
    Files.writeString(work().resolve("d/keep.txt"), "kept");
    Files.writeString(work().resolve("d/sub/f"), "old");
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").dir("d/sub").file("d/sub/f", "new").blob("d");
    store.push(blob.descriptor(), blob.stream());
    assertThat(work().resolve("d/keep.txt")).hasContent("kept");
    assertThat(work().resolve("d/sub/f")).hasContent("new");
  }

  @Test
  void unpackReplacesAnExistingSymlinkInsteadOfWritingThroughIt() throws Exception {
    open(FileStoreOptions.defaults());
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createDirectories(work().resolve("d"));
    Files.createSymbolicLink(work().resolve("d/sub"), outside);
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").dir("d/sub").file("d/sub/f", "new").blob("d");
    store.push(blob.descriptor(), blob.stream());
    assertThat(Files.isSymbolicLink(work().resolve("d/sub"))).isFalse();
    assertThat(work().resolve("d/sub/f")).hasContent("new");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void unpackRefusesAnExistingDirectoryWhenOverwriteIsDisabled() throws Exception {
    open(FileStoreOptions.builder().disableOverwrite(true).build());
    Files.createDirectories(work().resolve("d"));
    TestArchives.Blob blob = TestArchives.tar().dir("d").file("d/f", "f").blob("d");
    assertRefused(blob, Reason.OVERWRITE_DISALLOWED, "d");
  }

  @Test
  void unpackRefusesAnEntryThatEscapesTheDirectory() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").file("d/../../evil.txt", "zip-slip").blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "outside");
  }

  @Test
  void unpackRefusesAnAbsoluteEntry() throws Exception {
    open(FileStoreOptions.defaults());
    String target = dir.resolve("abs-evil.txt").toString();
    TestArchives.Blob blob = TestArchives.tar().dir("d").file(target, "absolute").blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "outside");
  }

  @Test
  void unpackRefusesAnEntryBesideTheDirectory() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob = TestArchives.tar().dir("d").file("other/f", "beside").blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "outside");
  }

  @Test
  void unpackRefusesASymlinkThatPointsOutside() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob = TestArchives.tar().dir("d").symlink("d/up", "../../outside").blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "points outside");
  }

  @Test
  void unpackRefusesAnAbsoluteSymlink() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob = TestArchives.tar().dir("d").symlink("d/etc", "/etc").blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "absolute");
  }

  @Test
  void unpackRefusesASymlinkThatPointsOutsideOnceResolved() throws Exception {
    open(FileStoreOptions.defaults());
    // "self/.." is "." lexically, but self is the root itself, so on disk it is the parent of the
    // root.
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").symlink("d/self", ".").symlink("d/up", "self/..").blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "resolves outside");
  }

  @Test
  void unpackRefusesToWriteThroughASymlinkThatPointsOutside() throws Exception {
    open(FileStoreOptions.defaults());
    Files.createDirectories(dir.resolve("outside"));
    TestArchives.Blob blob =
        TestArchives.tar()
            .dir("d")
            .symlink("d/link", "../../outside")
            .file("d/link/evil.txt", "through")
            .blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "d/link");
    assertThat(dir.resolve("outside")).isEmptyDirectory();
  }

  @Test
  void unpackRefusesToWriteThroughAnySymlink() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar()
            .dir("d")
            .dir("d/real")
            .symlink("d/link", "real")
            .file("d/link/f.txt", "through")
            .blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "through the symbolic link");
  }

  @Test
  void aFileEntryReplacesAnEarlierSymlinkInsteadOfWritingThroughIt() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar()
            .dir("d")
            .file("d/f", "inner")
            .symlink("d/l", "f")
            .file("d/l", "replaces the link, not its target")
            .blob("d");
    store.push(blob.descriptor(), blob.stream());
    assertThat(Files.isSymbolicLink(work().resolve("d/l"))).isFalse();
    assertThat(work().resolve("d/f")).hasContent("inner");
  }

  @Test
  void unpackRefusesAHardLinkOutside() throws Exception {
    open(FileStoreOptions.defaults());
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").hardLink("d/h", victim.toString()).blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "points outside");
    TestArchives.Blob relative =
        TestArchives.tar().dir("d").hardLink("d/h", "d/../../victim.txt").blob("d");
    assertRefused(relative, Reason.UNSAFE_ARCHIVE_ENTRY, "points outside");
  }

  @Test
  void unpackRefusesAHardLinkToSomethingNotUnpackedBefore() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").hardLink("d/h", "d/later").file("d/later", "x").blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "regular file");
  }

  @Test
  void unpackRefusesACharacterDevice() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").entry("d/null", TarConstants.LF_CHR).blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "device");
  }

  @Test
  void unpackRefusesABlockDevice() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").entry("d/sda", TarConstants.LF_BLK).blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "device");
  }

  @Test
  void unpackRefusesAFifo() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").entry("d/pipe", TarConstants.LF_FIFO).blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "FIFO");
  }

  @Test
  void unpackRefusesARootThatIsNotADirectory() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob = TestArchives.tar().file("d", "not a dir").blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "not a directory");
  }

  @Test
  void unpackRefusesATarWhoseDigestDoesNotMatchTheAnnotation() throws Exception {
    open(FileStoreOptions.defaults());
    byte[] tar = TestArchives.tar().dir("d").file("d/f", "content").tarBytes();
    String lie = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8)).toString();
    TestArchives.Blob blob = TestArchives.blob("d", TestArchives.gzip(tar), lie);
    List<String> before = everything();
    assertThatThrownBy(() -> store.push(blob.descriptor(), blob.stream()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(Annotations.ORAS_CONTENT_DIGEST);
    assertThat(everything()).isEqualTo(before);
    assertThat(store.exists(blob.descriptor())).isFalse();
  }

  @Test
  void unpackRefusesAGzipBlobWhoseOwnDigestDoesNotMatch() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob good = TestArchives.tar().dir("d").file("d/f", "content").blob("d");
    byte[] other = TestArchives.tar().dir("d").file("d/f", "other").blob("d").bytes();
    List<String> before = everything();
    assertThatThrownBy(() -> store.push(good.descriptor(), new ByteArrayInputStream(other)))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void unpackRefusesAMalformedContentDigestAnnotation() throws Exception {
    open(FileStoreOptions.defaults());
    byte[] gzip = TestArchives.gzip(TestArchives.tar().dir("d").tarBytes());
    TestArchives.Blob blob = TestArchives.blob("d", gzip, "sha256:nothex");
    assertThatThrownBy(() -> store.push(blob.descriptor(), blob.stream()))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining(Annotations.ORAS_CONTENT_DIGEST);
  }

  @Test
  void unpackWithoutAContentDigestAnnotationSkipsThatCheck() throws Exception {
    open(FileStoreOptions.defaults());
    byte[] gzip = TestArchives.gzip(TestArchives.tar().dir("d").file("d/f", "f").tarBytes());
    TestArchives.Blob blob = TestArchives.blob("d", gzip, null);
    store.push(blob.descriptor(), blob.stream());
    assertThat(work().resolve("d/f")).hasContent("f");
  }

  @Test
  void unpackRefusesContentThatIsNotGzip() throws Exception {
    open(FileStoreOptions.defaults());
    byte[] notGzip = "plain text".getBytes(StandardCharsets.UTF_8);
    Map<String, String> annotations = new HashMap<>();
    annotations.put(Annotations.TITLE, "d");
    annotations.put(Annotations.ORAS_CONTENT_UNPACK, "true");
    Descriptor desc =
        Descriptor.of(MediaTypes.OCI_LAYER_GZIP, notGzip).withAnnotations(annotations);
    List<String> before = everything();
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(notGzip)))
        .isInstanceOf(IOException.class);
    assertThat(everything()).isEqualTo(before);
    assertThat(Files.exists(work().resolve("d"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void unpackRefusesATitleThatIsASymlinkLeadingOut() throws Exception {
    open(FileStoreOptions.defaults());
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createSymbolicLink(work().resolve("d"), outside);
    TestArchives.Blob blob = TestArchives.tar().dir("d").file("d/f", "f").blob("d");
    assertRefused(blob, Reason.PATH_TRAVERSAL, "symbolic link");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void unpackAcceptsEntriesNamedAsOrasGoAndGnuTarNameThem() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar()
            .dirWithoutSlash("d")
            .dirWithoutSlash("d/sub")
            .file("./d/sub/f", "dotted")
            .blob("d");
    store.push(blob.descriptor(), blob.stream());
    assertThat(work().resolve("d/sub/f")).hasContent("dotted");
  }

  @Test
  void unpackRefusesAnUnknownEntryType() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob = TestArchives.tar().dir("d").entry("d/volume", (byte) 'V').blob("d");
    assertRefused(blob, Reason.UNSAFE_ARCHIVE_ENTRY, "unsupported type 'V'");
  }

  @Test
  void unpackRefusesToReplaceAnExistingDirectoryByAFileAndLeavesItUntouched() throws Exception {
    open(FileStoreOptions.defaults());
    Files.createDirectories(work().resolve("d/x"));
    Files.writeString(work().resolve("d/x/keep.txt"), "kept");
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").file("d/a.txt", "a").file("d/x", "a file").blob("d");
    assertRefused(blob, Reason.PATH_CONFLICT, "d/x");
    assertThat(work().resolve("d/x/keep.txt")).hasContent("kept");
    assertThat(work().resolve("d/a.txt")).doesNotExist();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void concurrentPushesOfOneDirectoryBlobUnpackItOnceAndLeaveNothingElse() throws Exception {
    open(FileStoreOptions.defaults());
    TestArchives.Blob blob =
        TestArchives.tar().dir("d").dir("d/sub").file("d/sub/f", "f").file("d/g", "g").blob("d");
    AtomicInteger written = new AtomicInteger();
    List<Throwable> failures =
        StorageContract.runConcurrently(
            8,
            i -> {
              try {
                store.push(blob.descriptor(), blob.stream());
                written.incrementAndGet();
              } catch (AlreadyExistsException e) {
                // another thread wrote it
              }
              return null;
            });
    assertThat(failures).isEmpty();
    assertThat(written).hasValue(1);
    try (Stream<Path> paths = Files.walk(work())) {
      assertThat(paths.map(p -> work().relativize(p).toString()).sorted())
          .containsExactly("", "d", "d/g", "d/sub", "d/sub/f");
    }
  }

  // ------------------------------------------------------------ decompression cap (issue 14, item
  // 9)

  private static String zeros(int bytes) {
    return "\0".repeat(bytes);
  }

  @Test
  void aDirectoryBlobThatDecompressesPastTheRatioLimitIsRefusedAndLeavesNothing() throws Exception {
    open(FileStoreOptions.builder().maxUnpackRatio(10).build());
    TestArchives.Blob bomb =
        TestArchives.tar().dir("bomb").file("bomb/zeros", zeros(1 << 20)).blob("bomb");
    assertRefused(bomb, Reason.UNPACK_LIMIT_EXCEEDED, "decompresses to more than");
  }

  @Test
  void aTreeLargerThanTheAbsoluteLimitStopsPartWayAndLeavesNothing() throws Exception {
    open(FileStoreOptions.builder().maxUnpackedBytes(1_000_000).build());
    java.util.Random random = new java.util.Random(14);
    TestArchives archive = TestArchives.tar().dir("big");
    for (int i = 0; i < 5; i++) {
      byte[] bytes = new byte[300_000];
      random.nextBytes(bytes);
      archive.file("big/part-" + i, new String(bytes, StandardCharsets.ISO_8859_1));
    }
    assertRefused(archive.blob("big"), Reason.UNPACK_LIMIT_EXCEEDED, "maxUnpackedBytes 1000000");
  }

  @Test
  void aDirectoryBlobWithinTheLimitsUnpacks() throws Exception {
    open(FileStoreOptions.builder().maxUnpackRatio(2000).build());
    TestArchives.Blob blob =
        TestArchives.tar().dir("ok").file("ok/zeros", zeros(1 << 20)).blob("ok");
    store.push(blob.descriptor(), blob.stream());
    assertThat(Files.size(work().resolve("ok/zeros"))).isGreaterThan(0);
  }
}
