package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.testing.GeneratedContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OciLayoutStore#link}: a blob of another layout is stored by a hard link to its file on one
 * file system, and copied (verified) across file systems; what cannot be linked leaves nothing.
 */
class OciLayoutLinkTest {
  private static final long SIZE = 3 * 1024 * 1024 + 17;

  @TempDir Path dir;

  // two layouts on the temporary directory's file system, opened before each test
  @SuppressWarnings("NullAway.Init")
  private OciLayoutStore source;

  @SuppressWarnings("NullAway.Init")
  private OciLayoutStore target;

  @BeforeEach
  void open() throws IOException {
    source = OciLayoutStore.open(dir.resolve("a"));
    target = OciLayoutStore.open(dir.resolve("b"));
  }

  private static Path blobFile(OciLayoutStore store, Descriptor desc) {
    return store.root().resolve("blobs/sha256/" + desc.digest().encoded());
  }

  private static long countFiles(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.count();
    }
  }

  private static long readAll(OciLayoutStore store, Descriptor desc) throws IOException {
    try (InputStream in = store.fetch(desc)) {
      return in.transferTo(OutputStream.nullOutputStream()); // the fetch verifies the digest
    }
  }

  private static Descriptor pushed(OciLayoutStore store, long seed) throws IOException {
    Descriptor desc = GeneratedContent.describe(MediaTypes.OCI_LAYER_GZIP, SIZE, seed);
    store.push(desc, GeneratedContent.stream(SIZE, seed));
    return desc;
  }

  @Test
  void aBlobIsLinkedNotCopiedAndOutlivesItsSource() throws Exception {
    Descriptor desc = pushed(source, 1);

    target.link(source, desc);

    assertThat(Files.isSameFile(blobFile(target, desc), blobFile(source, desc))).isTrue();
    assertThat(readAll(target, desc)).isEqualTo(SIZE);
    assertThat(countFiles(target.root().resolve("ingest"))).isZero();

    source.delete(desc);
    assertThat(source.exists(desc)).isFalse();
    assertThat(readAll(target, desc)).isEqualTo(SIZE);
  }

  @Test
  void aBlobAlreadyThereOrMissingFromTheSourceIsRefused() throws Exception {
    Descriptor desc = pushed(source, 1);
    target.link(source, desc);
    Descriptor absent = GeneratedContent.describe(MediaTypes.OCI_LAYER_GZIP, SIZE, 2);

    assertThatThrownBy(() -> target.link(source, desc)).isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> target.link(source, absent)).isInstanceOf(NotFoundException.class);
    assertThat(target.exists(absent)).isFalse();
  }

  @Test
  void aSourceFileOfTheWrongSizeIsRefusedAndNothingIsStored() throws Exception {
    Descriptor desc = pushed(source, 1);
    Files.write(blobFile(source, desc), new byte[] {1}, StandardOpenOption.APPEND);

    assertThatThrownBy(() -> target.link(source, desc))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("bytes");
    assertThat(target.exists(desc)).isFalse();
    assertThat(countFiles(target.root().resolve("blobs/sha256"))).isZero();
  }

  @Test
  void aStrayFileUnderTheBlobsNameIsReplacedByAVerifiedCopy() throws Exception {
    Descriptor desc = pushed(source, 1);
    Path stray = blobFile(target, desc);
    Files.createDirectories(stray.getParent());
    Files.write(stray, new byte[] {1, 2, 3}); // what a crash on another file system could leave

    target.link(source, desc);

    assertThat(Files.size(blobFile(target, desc))).isEqualTo(SIZE);
    assertThat(Files.isSameFile(blobFile(target, desc), blobFile(source, desc))).isFalse();
    assertThat(readAll(target, desc)).isEqualTo(SIZE);
    assertThat(countFiles(target.root().resolve("ingest"))).isZero();
  }

  @Test
  void aManifestIsPushedNotLinked() throws Exception {
    byte[] manifest =
        "{\"schemaVersion\":2,\"layers\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Descriptor desc = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
    source.push(desc, new java.io.ByteArrayInputStream(manifest));

    assertThatThrownBy(() -> target.link(source, desc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("push it instead");
    assertThat(target.exists(desc)).isFalse();
  }

  @Test
  void inABatchALinkedBlobIsStored() throws Exception {
    Descriptor desc = pushed(source, 1);

    try (OciLayoutStore.IndexBatch batch = target.batch()) {
      target.link(source, desc);
    }

    assertThat(Files.isSameFile(blobFile(target, desc), blobFile(source, desc))).isTrue();
    assertThat(readAll(target, desc)).isEqualTo(SIZE);
  }

  /** /dev/shm is a tmpfs on Linux: another file system than the temporary directory's disk. */
  private Path otherFileSystem() throws IOException {
    Path shm = Path.of("/dev/shm");
    assumeTrue(
        Files.isDirectory(shm)
            && Files.isWritable(shm)
            && !Files.getFileStore(shm).equals(Files.getFileStore(dir)),
        "needs /dev/shm on another file system than " + dir);
    return Files.createTempDirectory(shm, "stevedore-link-test");
  }

  @Test
  void acrossFileSystemsTheBlobIsCopiedAndVerified() throws Exception {
    Path elsewhere = otherFileSystem();
    try {
      OciLayoutStore remote = OciLayoutStore.open(elsewhere.resolve("a"));
      Descriptor good = pushed(remote, 1);
      Descriptor bad = pushed(remote, 2);
      // same size, other bytes: only a verified copy notices
      try (InputStream other = GeneratedContent.stream(SIZE, 3)) {
        Files.write(blobFile(remote, bad), other.readAllBytes());
      }

      target.link(remote, good);
      assertThatThrownBy(() -> target.link(remote, bad))
          .isInstanceOf(DigestMismatchException.class);

      assertThat(Files.isSameFile(blobFile(target, good), blobFile(remote, good))).isFalse();
      assertThat(readAll(target, good)).isEqualTo(SIZE);
      assertThat(target.exists(bad)).isFalse();
      assertThat(countFiles(target.root().resolve("ingest"))).isZero();
    } finally {
      try (Stream<Path> files = Files.walk(elsewhere)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
