package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.Fetcher;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.StorageContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutArchiveTest {
  private static final String LAYER = "application/vnd.stevedore.test.layer";

  @TempDir Path dir;

  private static Map<String, byte[]> validLayout(Descriptor blob, byte[] content) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("oci-layout", LayoutFiles.layoutFileBytes());
    files.put("index.json", Fixtures.utf8("{\"schemaVersion\":2,\"manifests\":[]}"));
    files.put("blobs/sha256/" + blob.digest().encoded(), content);
    return files;
  }

  private Path tar(String name, Map<String, byte[]> files) throws IOException {
    Path tar = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream tarOut = new TarArchiveOutputStream(out)) {
      tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
        entry.setSize(file.getValue().length);
        tarOut.putArchiveEntry(entry);
        tarOut.write(file.getValue());
        tarOut.closeArchiveEntry();
      }
    }
    return tar;
  }

  private static byte[] readAll(Fetcher fetcher, Descriptor desc) throws IOException {
    try (InputStream in = fetcher.fetch(desc)) {
      return in.readAllBytes();
    }
  }

  private static List<String> entryNames(Path tar) throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.isFile()) {
          names.add(entry.getName());
        }
      }
    }
    return names;
  }

  @Test
  void anArchiveWithADotDotEntryIsRefused() throws Exception {
    byte[] content = Fixtures.utf8("x");
    Map<String, byte[]> files = validLayout(Descriptor.of(LAYER, content), content);
    files.put("blobs/../../escape", content);
    Path tar = tar("dotdot.tar", files);
    assertThatThrownBy(() -> OciLayoutStore.openArchive(tar))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("blobs/../../escape")
        .hasMessageContaining("refusing");
    assertThat(
            Objects.requireNonNull(dir.getParent(), "the test directory has a parent")
                .resolve("escape"))
        .doesNotExist();
  }

  @Test
  void anArchiveWithAnAbsoluteEntryIsRefused() throws Exception {
    byte[] content = Fixtures.utf8("x");
    Map<String, byte[]> files = validLayout(Descriptor.of(LAYER, content), content);
    files.put("/etc/evil", content);
    Path tar = tar("absolute.tar", files);
    assertThatThrownBy(() -> OciLayoutStore.openArchive(tar))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("/etc/evil")
        .hasMessageContaining("absolute");
  }

  @Test
  void aFileThatIsNotATarIsRefusedWithAClearError() throws Exception {
    Path notTar = dir.resolve("not.tar");
    Files.writeString(
        notTar, "this is not a tar archive, just text that is long enough ".repeat(20));
    assertThatThrownBy(() -> OciLayoutStore.openArchive(notTar))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining(notTar.toString());
  }

  @Test
  void anArchiveWithoutIndexJsonIsRefused() throws Exception {
    Path tar = tar("noindex.tar", Map.of("oci-layout", LayoutFiles.layoutFileBytes()));
    assertThatThrownBy(() -> OciLayoutStore.openArchive(tar))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("index.json");
  }

  @Test
  void anArchiveWithAnUnknownLayoutVersionIsRefused() throws Exception {
    Path tar =
        tar(
            "version.tar",
            Map.of(
                "oci-layout",
                Fixtures.utf8("{\"imageLayoutVersion\":\"9.9.9\"}"),
                "index.json",
                Fixtures.utf8("{\"schemaVersion\":2,\"manifests\":[]}")));
    assertThatThrownBy(() -> OciLayoutStore.openArchive(tar))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("9.9.9")
        .hasMessageContaining("oci-layout");
  }

  @Test
  void entriesPrefixedWithDotSlashAreRead() throws Exception {
    byte[] content = Fixtures.utf8("prefixed");
    Descriptor blob = Descriptor.of(LAYER, content);
    Map<String, byte[]> files = new LinkedHashMap<>();
    validLayout(blob, content).forEach((name, bytes) -> files.put("./" + name, bytes));
    try (OciLayoutArchive archive = OciLayoutStore.openArchive(tar("prefixed.tar", files))) {
      assertThat(readAll(archive, blob)).isEqualTo(content);
    }
  }

  @Test
  void fetchOfABlobWhoseBytesDoNotMatchItsNameRaisesDigestMismatch() throws Exception {
    byte[] content = Fixtures.utf8("the real bytes");
    Descriptor blob = Descriptor.of(LAYER, content);
    Map<String, byte[]> files = validLayout(blob, Fixtures.utf8("the fake bytes"));
    try (OciLayoutArchive archive = OciLayoutStore.openArchive(tar("corrupt.tar", files))) {
      assertThatThrownBy(() -> readAll(archive, blob)).isInstanceOf(DigestMismatchException.class);
    }
  }

  @Test
  void exportOfChosenTagsHoldsTheirGraphsAndReferrersOnly() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"));
    Descriptor wantedLayer = Fixtures.pushBlob(store, LAYER, Fixtures.utf8("wanted"));
    Descriptor wanted = Fixtures.pushImage(store, List.of(wantedLayer));
    Descriptor signature =
        Fixtures.pushReferrer(
            store, wanted, "application/vnd.stevedore.signature", Fixtures.utf8("sig"));
    Descriptor otherLayer = Fixtures.pushBlob(store, LAYER, Fixtures.utf8("other"));
    Descriptor other = Fixtures.pushImage(store, List.of(otherLayer));
    store.tag(wanted, "wanted");
    store.tag(other, "other");

    Path tar = dir.resolve("wanted.tar");
    store.exportArchive(tar, List.of("wanted"));

    try (OciLayoutArchive archive = OciLayoutStore.openArchive(tar)) {
      assertThat(archive.listTags()).containsExactly("wanted");
      assertThat(archive.resolve("wanted").digest()).isEqualTo(wanted.digest());
      assertThat(archive.exists(wantedLayer)).isTrue();
      assertThat(archive.exists(signature)).isTrue();
      assertThat(archive.exists(otherLayer)).isFalse();
      assertThat(archive.exists(other)).isFalse();
      assertThat(archive.predecessors(wanted))
          .extracting(Descriptor::digest)
          .containsExactly(signature.digest());
      assertThat(archive.indexEntries())
          .extracting(d -> d.annotation(Annotations.REF_NAME))
          .containsExactly("wanted", null);
    }
  }

  @Test
  void exportIsReproducible() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"));
    store.tag(TestImages.pushImage(store, "repro"), "v1");
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    store.exportArchive(first, List.of("v1"));
    store.exportArchive(second, List.of("v1"));
    assertThat(first.toByteArray()).isEqualTo(second.toByteArray());
  }

  @Test
  void exportStartsWithTheLayoutFilesAndNamesBlobsByDigest() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"));
    Descriptor manifest = TestImages.pushImage(store, "names");
    store.tag(manifest, "v1");
    Path tar = dir.resolve("names.tar");
    store.exportArchive(tar);
    List<String> names = entryNames(tar);
    assertThat(names.subList(0, 2)).containsExactly("oci-layout", "index.json");
    assertThat(names).contains("blobs/sha256/" + manifest.digest().encoded()).hasSize(5);
  }

  @Test
  void exportOfAnUnknownTagIsNotFoundAndWritesNothing() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"));
    Path tar = dir.resolve("none.tar");
    assertThatThrownBy(() -> store.exportArchive(tar, List.of("missing")))
        .isInstanceOf(NotFoundException.class);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("layout");
    }
  }

  @Test
  void exportOfACorruptBlobFailsAndLeavesNoArchive() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"));
    Descriptor manifest = TestImages.pushImage(store, "corrupt");
    store.tag(manifest, "v1");
    try (var blobs = Files.list(dir.resolve("layout/blobs/sha256"))) {
      for (Path blob : blobs.toList()) {
        if (!blob.getFileName().toString().equals(manifest.digest().encoded())) {
          byte[] bytes = Files.readAllBytes(blob);
          bytes[bytes.length - 1] ^= 1;
          Files.write(blob, bytes);
        }
      }
    }
    Path tar = dir.resolve("corrupt.tar");
    assertThatThrownBy(() -> store.exportArchive(tar, List.of("v1")))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(tar).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("layout");
    }
  }

  @Test
  void anArchiveSharesItsFileBetweenConcurrentReaders() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"));
    List<Descriptor> blobs = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] content = Fixtures.randomBytes(300_000 + i, i);
      contents.add(content);
      blobs.add(Fixtures.pushBlob(store, LAYER, content));
    }
    Path tar = dir.resolve("shared.tar");
    store.exportArchive(tar);
    try (OciLayoutArchive archive = OciLayoutStore.openArchive(tar)) {
      List<Throwable> failures =
          StorageContract.runConcurrently(
              8,
              i -> {
                for (int round = 0; round < 5; round++) {
                  assertThat(readAll(archive, blobs.get(i))).isEqualTo(contents.get(i));
                }
                return null;
              });
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void indexJsonOfAnArchiveIsReadAsWritten() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("layout"));
    store.tag(TestImages.pushImage(store, "same"), "v1");
    Path tar = dir.resolve("same.tar");
    store.exportArchive(tar);
    try (OciLayoutArchive archive = OciLayoutStore.openArchive(tar)) {
      assertThat(
              new String(
                  IndexDocument.empty().with(archive.indexEntries()).toJson(),
                  StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(dir.resolve("layout/index.json")));
    }
  }
}
