package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.internal.Json;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.StorageContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreTest {
  private static final String LAYER = "application/vnd.stevedore.test.layer";

  @TempDir Path dir;

  private Path layout() {
    return dir.resolve("layout");
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static JsonNode indexJson(Path layout) throws IOException {
    return Json.tree(Files.readAllBytes(layout.resolve("index.json")), "index.json");
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static Descriptor image(OciLayoutStore store, String seed) throws IOException {
    Descriptor layer = Fixtures.pushBlob(store, LAYER, Fixtures.utf8(seed));
    return Fixtures.pushImage(store, List.of(layer));
  }

  // ------------------------------------------------------------ opening

  @Test
  void openOfAMissingDirectoryCreatesALayout() throws Exception {
    OciLayoutStore.open(layout());
    assertThat(read(layout().resolve("oci-layout")))
        .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    assertThat(read(layout().resolve("index.json")))
        .isEqualTo(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}");
    assertThat(layout().resolve("blobs")).isDirectory();
  }

  @Test
  void openOfAnEmptyDirectoryCreatesALayout() throws Exception {
    Files.createDirectories(layout());
    OciLayoutStore.open(layout());
    assertThat(layout().resolve("oci-layout")).exists();
  }

  @Test
  void openRefusesANonEmptyDirectoryThatIsNotALayout() throws Exception {
    Files.createDirectories(layout());
    Files.writeString(layout().resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> OciLayoutStore.open(layout()))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining(layout().resolve("oci-layout").toString())
        .hasMessageContaining("notes.txt");
    try (Stream<Path> entries = Files.list(layout())) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
    }
  }

  @Test
  void openRefusesAnUnknownLayoutVersionNamingTheFile() throws Exception {
    OciLayoutStore.open(layout());
    Files.writeString(layout().resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    assertThatThrownBy(() -> OciLayoutStore.open(layout()))
        .isInstanceOf(UnsupportedContentException.class)
        .hasMessageContaining(layout().toRealPath().resolve("oci-layout").toString())
        .hasMessageContaining("2.0.0");
  }

  @Test
  void openRefusesAnIndexThatIsNotJsonAndLeavesItAsItWas() throws Exception {
    OciLayoutStore.open(layout());
    Files.writeString(layout().resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[");
    assertThatThrownBy(() -> OciLayoutStore.open(layout()))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining(layout().toRealPath().resolve("index.json").toString());
    assertThat(read(layout().resolve("index.json")))
        .isEqualTo("{\"schemaVersion\":2,\"manifests\":[");
  }

  @Test
  void openRefusesAnIndexEntryWithoutADigest() throws Exception {
    OciLayoutStore.open(layout());
    String broken =
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"size\":10}]}";
    Files.writeString(layout().resolve("index.json"), broken);
    assertThatThrownBy(() -> OciLayoutStore.open(layout()))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("index.json")
        .hasMessageContaining("digest");
    assertThat(read(layout().resolve("index.json"))).isEqualTo(broken);
  }

  @Test
  void openRefusesAnIndexEntryWhoseDigestWouldLeaveBlobs() throws Exception {
    OciLayoutStore.open(layout());
    String hostile =
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"digest\":\"sha256:../../../../etc/passwd\",\"size\":10}]}";
    Files.writeString(layout().resolve("index.json"), hostile);
    assertThatThrownBy(() -> OciLayoutStore.open(layout()))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("index.json")
        .hasMessageContaining("sha256 needs 64 hex characters");
  }

  @Test
  void openRefusesAnIndexEntryWhoseDigestIsNotHex() throws Exception {
    OciLayoutStore.open(layout());
    String bad =
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"digest\":\"sha256:"
            + "g".repeat(64)
            + "\",\"size\":10}]}";
    Files.writeString(layout().resolve("index.json"), bad);
    assertThatThrownBy(() -> OciLayoutStore.open(layout()))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("non-hex");
  }

  @Test
  void resolveOfAPathLikeDigestIsNotFoundWithoutTouchingFilesOutsideBlobs() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Files.writeString(dir.resolve("secret"), "outside");
    assertThatThrownBy(() -> store.resolve("sha256:../../secret"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void openRemovesTemporaryFilesThatDeadProcessesLeft() throws Exception {
    OciLayoutStore.open(layout());
    Path ingest = Files.createDirectories(layout().resolve("ingest"));
    Files.write(ingest.resolve("abc_" + LayoutFiles.randomSuffix()), new byte[100]);
    Files.writeString(layout().resolve("index.json_" + LayoutFiles.randomSuffix()), "{\"schemaVer");
    OciLayoutStore.open(layout());
    assertThat(filesUnder(ingest)).isEmpty();
    try (Stream<Path> entries = Files.list(layout())) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith("index.json_"));
    }
  }

  @Test
  void openRefusesAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("file.tar"), "not a directory");
    assertThatThrownBy(() -> OciLayoutStore.open(file))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("not a directory")
        .hasMessageContaining("openArchive");
  }

  @Test
  void openCompletesALayoutWhoseCreatorDiedBeforeWritingOciLayout() throws Exception {
    Files.createDirectories(layout().resolve("blobs"));
    Files.writeString(layout().resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
    OciLayoutStore.open(layout());
    assertThat(layout().resolve("oci-layout")).exists();
  }

  @Test
  void openRefusesALayoutThatListsManifestsButLostItsOciLayoutFile() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    store.tag(image(store, "lost"), "v1");
    Files.delete(layout().resolve("oci-layout"));
    assertThatThrownBy(() -> OciLayoutStore.open(layout()))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("oci-layout")
        .hasMessageContaining("restore");
    assertThat(layout().resolve("oci-layout")).doesNotExist();
  }

  // ------------------------------------------------------------ index.json

  @Test
  void tagWritesARefNameEntryAsOrasGoDoes() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor manifest = image(store, "one");
    store.tag(manifest, "v1");
    String expected =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
            + "{\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"digest\":\""
            + manifest.digest()
            + "\",\"size\":"
            + manifest.size()
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"},"
            + "\"artifactType\":\"application/vnd.stevedore.test\"}]}";
    assertThat(read(layout().resolve("index.json"))).isEqualTo(expected);
  }

  @Test
  void pushedManifestsAreListedWithoutANameUntilTagged() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor manifest = image(store, "listed");
    JsonNode entries = indexJson(layout()).get("manifests");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get("digest").asText()).isEqualTo(manifest.digest().toString());
    assertThat(entries.get(0).has("annotations")).isFalse();
    store.tag(manifest, "v1");
    assertThat(indexJson(layout()).get("manifests")).hasSize(1);
  }

  @Test
  void blobsThatAreNotManifestsAreNotListed() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Fixtures.pushBlob(store, LAYER, Fixtures.utf8("just a blob"));
    assertThat(indexJson(layout()).get("manifests")).isEmpty();
  }

  @Test
  void retagReplacesTheEntryOfThatName() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor first = image(store, "first");
    Descriptor second = image(store, "second");
    store.tag(first, "latest");
    store.tag(second, "latest");
    List<String> named = new ArrayList<>();
    for (JsonNode entry : indexJson(layout()).get("manifests")) {
      if (entry.path("annotations").has(Annotations.REF_NAME)) {
        named.add(
            entry.path("annotations").get(Annotations.REF_NAME).asText()
                + "="
                + entry.get("digest").asText());
      }
    }
    assertThat(named).containsExactly("latest=" + second.digest());
  }

  @Test
  void oneManifestCanCarrySeveralTags() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor manifest = image(store, "multi");
    store.tag(manifest, "a");
    store.tag(manifest, "b");
    assertThat(indexJson(layout()).get("manifests")).hasSize(2);
    assertThat(store.resolve("a").digest()).isEqualTo(store.resolve("b").digest());
  }

  @Test
  void untagKeepsTheManifestListedWithoutAName() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor manifest = image(store, "untag");
    store.tag(manifest, "v1");
    store.untag("v1");
    assertThatThrownBy(() -> store.resolve("v1")).isInstanceOf(NotFoundException.class);
    JsonNode entries = indexJson(layout()).get("manifests");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).has("annotations")).isFalse();
    assertThat(store.resolve(manifest.digest().toString()).digest()).isEqualTo(manifest.digest());
  }

  @Test
  void untagOfAnUnknownTagIsNotFound() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    assertThatThrownBy(() -> store.untag("nope")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void tagRejectsANameOutsideTheGrammar() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor manifest = image(store, "bad-name");
    assertThatThrownBy(() -> store.tag(manifest, "bad tag!"))
        .isInstanceOf(InvalidReferenceException.class);
    assertThatThrownBy(() -> store.tag(manifest, "")).isInstanceOf(InvalidReferenceException.class);
  }

  @Test
  void tagAcceptsAFullRefNameAsSkopeoWritesIt() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor manifest = image(store, "skopeo-name");
    store.tag(manifest, "example.com/team/app:1.2.3");
    assertThat(store.resolve("example.com/team/app:1.2.3").digest()).isEqualTo(manifest.digest());
  }

  @Test
  void resolveOfADigestGivesAPlainDescriptor() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor manifest = image(store, "plain");
    store.tag(manifest, "v1");
    assertThat(store.resolve(manifest.digest().toString())).isEqualTo(manifest.plain());
  }

  @Test
  void aReopenedLayoutResolvesTagsAndKnowsPredecessors() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor layer = Fixtures.pushBlob(store, LAYER, Fixtures.utf8("base"));
    Descriptor subject = Fixtures.pushImage(store, List.of(layer));
    Descriptor signature =
        Fixtures.pushReferrer(
            store, subject, "application/vnd.stevedore.signature", Fixtures.utf8("sig"));
    store.tag(subject, "v1");

    OciLayoutStore reopened = OciLayoutStore.open(layout());
    assertThat(reopened.resolve("v1").digest()).isEqualTo(subject.digest());
    assertThat(reopened.predecessors(subject))
        .extracting(Descriptor::digest)
        .containsExactly(signature.digest());
    assertThat(reopened.predecessors(layer))
        .extracting(Descriptor::digest)
        .containsExactly(subject.digest());
    assertThat(reopened.resolve(signature.digest().toString()).mediaType())
        .isEqualTo(MediaTypes.OCI_MANIFEST);
  }

  @Test
  void withAutoSaveOffIndexJsonChangesOnlyOnSave() throws Exception {
    OciLayoutStore store =
        OciLayoutStore.open(layout(), OciLayoutOptions.defaults().withAutoSaveIndex(false));
    String before = read(layout().resolve("index.json"));
    Descriptor manifest = image(store, "manual");
    store.tag(manifest, "v1");
    assertThat(store.resolve("v1").digest()).isEqualTo(manifest.digest());
    assertThat(read(layout().resolve("index.json"))).isEqualTo(before);
    store.saveIndex();
    assertThat(OciLayoutStore.open(layout()).resolve("v1").digest()).isEqualTo(manifest.digest());
  }

  @Test
  void saveKeepsTagsAnotherStoreSavedMeanwhile() throws Exception {
    OciLayoutStore manual =
        OciLayoutStore.open(layout(), OciLayoutOptions.defaults().withAutoSaveIndex(false));
    OciLayoutStore auto = OciLayoutStore.open(layout());
    Descriptor mine = image(manual, "mine");
    Descriptor theirs = image(auto, "theirs");
    manual.tag(mine, "mine");
    auto.tag(theirs, "theirs");
    manual.saveIndex();
    OciLayoutStore reopened = OciLayoutStore.open(layout());
    assertThat(reopened.listTags()).containsExactly("mine", "theirs");
  }

  @Test
  void aStoreSeesTagsAnotherStoreWrote() throws Exception {
    OciLayoutStore first = OciLayoutStore.open(layout());
    OciLayoutStore second = OciLayoutStore.open(layout());
    Descriptor manifest = image(first, "shared");
    first.tag(manifest, "v1");
    assertThat(second.resolve("v1").digest()).isEqualTo(manifest.digest());
    assertThat(second.listTags()).containsExactly("v1");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void concurrentTaggingThroughTwoStoresKeepsEveryTag() throws Exception {
    OciLayoutStore first = OciLayoutStore.open(layout());
    OciLayoutStore second = OciLayoutStore.open(layout());
    Descriptor manifest = image(first, "concurrent");
    List<Throwable> failures =
        StorageContract.runConcurrently(
            8,
            i -> {
              OciLayoutStore store = i % 2 == 0 ? first : second;
              for (int t = 0; t < 10; t++) {
                store.tag(manifest, "t" + i + "-" + t);
              }
              return null;
            });
    assertThat(failures).isEmpty();
    assertThat(OciLayoutStore.open(layout()).listTags()).hasSize(80);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void concurrentPushesAndTagsOfManyImagesAllLand() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    List<Throwable> failures =
        StorageContract.runConcurrently(
            8,
            i -> {
              // every thread pushes the shared empty config too
              store.tag(image(store, "image-" + i), "tag-" + i);
              return null;
            });
    assertThat(failures).isEmpty();
    OciLayoutStore reopened = OciLayoutStore.open(layout());
    assertThat(reopened.listTags()).hasSize(8);
    assertThat(reopened.indexEntries()).hasSize(8);
    for (int i = 0; i < 8; i++) {
      Descriptor manifest = reopened.resolve("tag-" + i);
      assertThat(Contents.fetchAll(reopened, manifest, 1 << 20)).isNotEmpty();
      assertThat(reopened.predecessors(MediaTypes.EMPTY_JSON))
          .extracting(Descriptor::digest)
          .contains(manifest.digest());
    }
  }

  // ------------------------------------------------------------ verification

  @Test
  void fetchOfABlobCorruptedOnDiskRaisesDigestMismatch() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] content = Fixtures.randomBytes(10_000, 1);
    Descriptor desc = Fixtures.pushBlob(store, LAYER, content);
    byte[] corrupt = content.clone();
    corrupt[5000] ^= 1;
    overwriteBlob(desc, corrupt);
    assertThatThrownBy(() -> StorageContract.fetchAll(store, desc))
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void fetchOfATruncatedBlobRaisesDigestMismatch() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] content = Fixtures.randomBytes(10_000, 2);
    Descriptor desc = Fixtures.pushBlob(store, LAYER, content);
    overwriteBlob(desc, java.util.Arrays.copyOf(content, 9_000));
    assertThatThrownBy(() -> StorageContract.fetchAll(store, desc))
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void aLayoutWithACorruptManifestOpensAndItsFetchRaisesDigestMismatch() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor good = image(store, "good");
    Descriptor bad = image(store, "bad");
    store.tag(good, "good");
    store.tag(bad, "bad");
    byte[] bytes = Files.readAllBytes(layout().resolve("blobs/sha256/" + bad.digest().encoded()));
    bytes[bytes.length - 2] ^= 1;
    overwriteBlob(bad, bytes);

    OciLayoutStore reopened = OciLayoutStore.open(layout());
    assertThat(reopened.resolve("good").digest()).isEqualTo(good.digest());
    assertThatThrownBy(() -> StorageContract.fetchAll(reopened, reopened.resolve("bad")))
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void withoutVerificationFetchServesTheBytesOnDisk() throws Exception {
    OciLayoutStore store =
        OciLayoutStore.open(layout(), OciLayoutOptions.defaults().withVerifyOnFetch(false));
    byte[] content = Fixtures.randomBytes(1000, 3);
    Descriptor desc = Fixtures.pushBlob(store, LAYER, content);
    byte[] corrupt = content.clone();
    corrupt[0] ^= 1;
    overwriteBlob(desc, corrupt);
    assertThat(StorageContract.fetchAll(store, desc)).isEqualTo(corrupt);
  }

  @Test
  void pushReplacesABlobFileOfTheWrongSize() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] content = Fixtures.randomBytes(1000, 4);
    Descriptor desc = Fixtures.pushBlob(store, LAYER, content);
    overwriteBlob(desc, new byte[10]);
    assertThat(store.exists(desc)).isFalse();
    store.push(desc, new ByteArrayInputStream(content));
    assertThat(StorageContract.fetchAll(store, desc)).isEqualTo(content);
  }

  @Test
  void pushOfContentAlreadyThereSaysSo() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] content = Fixtures.utf8("twice");
    Descriptor desc = Fixtures.pushBlob(store, LAYER, content);
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(content)))
        .isInstanceOf(AlreadyExistsException.class);
  }

  private void overwriteBlob(Descriptor desc, byte[] bytes) throws IOException {
    Path blob = layout().resolve("blobs/sha256/" + desc.digest().encoded());
    Files.write(blob, bytes);
  }

  // ------------------------------------------------------------ failed pushes

  @Test
  void aPushWithTheWrongDigestLeavesNoBlobAndNoTemporaryFile() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor desc = Descriptor.of(LAYER, Fixtures.utf8("real"));
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(Fixtures.utf8("fake"))))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(filesUnder(layout().resolve("blobs"))).isEmpty();
    assertThat(filesUnder(layout().resolve("ingest"))).isEmpty();
  }

  @Test
  void aPushWhoseStreamEndsEarlyLeavesNoBlobAndNoTemporaryFile() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] content = Fixtures.randomBytes(100_000, 5);
    Descriptor desc = Descriptor.of(LAYER, content);
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(content, 0, 60_000)))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("truncated");
    assertThat(filesUnder(layout().resolve("blobs"))).isEmpty();
    assertThat(filesUnder(layout().resolve("ingest"))).isEmpty();
  }

  @Test
  void aPushWhoseStreamFailsLeavesNoBlobAndNoTemporaryFile() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] content = Fixtures.randomBytes(100_000, 6);
    Descriptor desc = Descriptor.of(LAYER, content);
    InputStream failing =
        new FailingAfter(
            content,
            50_000,
            () -> {
              throw new IOException("connection reset");
            });
    assertThatThrownBy(() -> store.push(desc, failing)).hasMessageContaining("connection reset");
    assertThat(filesUnder(layout().resolve("blobs"))).isEmpty();
    assertThat(filesUnder(layout().resolve("ingest"))).isEmpty();
  }

  @Test
  void anInterruptedPushLeavesNoBlobAndNoTemporaryFile() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] content = Fixtures.randomBytes(2_000_000, 7);
    Descriptor desc = Descriptor.of(LAYER, content);
    InputStream interrupting =
        new FailingAfter(content, 300_000, () -> Thread.currentThread().interrupt());
    try {
      assertThatThrownBy(() -> store.push(desc, interrupting))
          .isInstanceOf(InterruptedIOException.class);
    } finally {
      Thread.interrupted();
    }
    assertThat(filesUnder(layout().resolve("blobs"))).isEmpty();
    assertThat(filesUnder(layout().resolve("ingest"))).isEmpty();
  }

  /** Serves bytes, and runs an action once when {@code at} bytes have been read. */
  private static final class FailingAfter extends InputStream {
    interface Action {
      void run() throws IOException;
    }

    private final ByteArrayInputStream in;
    private final int at;
    private final Action action;
    private int read;

    FailingAfter(byte[] content, int at, Action action) {
      this.in = new ByteArrayInputStream(content);
      this.at = at;
      this.action = action;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, read < at ? Math.min(len, at - read) : len);
      if (n > 0) {
        int before = read;
        read += n;
        if (before < at && read >= at) {
          action.run();
        }
      }
      return n;
    }
  }

  // ------------------------------------------------------------ delete and gc

  @Test
  void deleteOfATaggedManifestRemovesItsEntriesFromIndexJson() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor keep = image(store, "keep");
    Descriptor drop = image(store, "drop");
    store.tag(keep, "keep");
    store.tag(drop, "drop");
    store.delete(drop);
    assertThat(store.listTags()).containsExactly("keep");
    JsonNode entries = indexJson(layout()).get("manifests");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get("digest").asText()).isEqualTo(keep.digest().toString());
    assertThat(OciLayoutStore.open(layout()).listTags()).containsExactly("keep");
  }

  @Test
  void gcRemovesWhatIndexJsonDoesNotReachAndReportsIt() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor keptLayer = Fixtures.pushBlob(store, LAYER, Fixtures.utf8("kept"));
    Descriptor kept = Fixtures.pushImage(store, List.of(keptLayer));
    Descriptor droppedLayer = Fixtures.pushBlob(store, LAYER, Fixtures.utf8("dropped"));
    Descriptor dropped = Fixtures.pushImage(store, List.of(droppedLayer));
    byte[] orphanBytes = Fixtures.utf8("orphan");
    Descriptor orphan = Fixtures.pushBlob(store, LAYER, orphanBytes);
    store.tag(kept, "v1");
    store.delete(dropped);

    GcResult result = store.gc();

    assertThat(result.removedBlobs())
        .containsExactlyInAnyOrder(droppedLayer.digest(), orphan.digest());
    assertThat(result.removedBytes()).isEqualTo(droppedLayer.size() + orphan.size());
    assertThat(store.exists(droppedLayer)).isFalse();
    assertThat(store.exists(keptLayer)).isTrue();
    assertThat(store.exists(MediaTypes.EMPTY_JSON)).isTrue();
    assertThat(Contents.fetchAll(store, store.resolve("v1"), 1 << 20)).isNotEmpty();
  }

  @Test
  void gcKeepsReferrersOfReachableManifestsThatIndexJsonDoesNotList() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor subject = image(store, "subject");
    Descriptor signature =
        Fixtures.pushReferrer(
            store,
            subject,
            "application/vnd.stevedore.signature",
            Fixtures.utf8("signature payload"));
    store.tag(subject, "v1");
    // Another tool rewrote index.json with the tag only.
    String onlyTag =
        "{\"schemaVersion\":2,\"manifests\":["
            + new String(store.resolve("v1").toJson(), StandardCharsets.UTF_8)
            + "]}";
    Files.writeString(layout().resolve("index.json"), onlyTag);

    GcResult result = OciLayoutStore.open(layout()).gc();

    assertThat(result.removedBlobs()).isEmpty();
    assertThat(store.exists(signature)).isTrue();
  }

  @Test
  void gcRefusesToRunWhenAReachableManifestIsCorrupt() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor manifest = image(store, "corrupt");
    store.tag(manifest, "v1");
    Descriptor orphan = Fixtures.pushBlob(store, LAYER, Fixtures.utf8("orphan"));
    byte[] bytes =
        Files.readAllBytes(layout().resolve("blobs/sha256/" + manifest.digest().encoded()));
    bytes[bytes.length - 2] ^= 1;
    overwriteBlob(manifest, bytes);
    assertThatThrownBy(store::gc).isInstanceOf(DigestMismatchException.class);
    assertThat(store.exists(orphan)).isTrue();
  }

  @Test
  void gcRemovesAbandonedTemporaryFiles() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Path ingest = Files.createDirectories(layout().resolve("ingest"));
    Files.write(ingest.resolve("dead_" + LayoutFiles.randomSuffix()), new byte[10]);
    assertThat(store.gc().removedTempFiles()).isEqualTo(1);
    assertThat(filesUnder(ingest)).isEmpty();
  }

  @Test
  void sha512ContentIsStoredUnderItsAlgorithm() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] content = Fixtures.utf8("five twelve");
    Descriptor desc = Descriptor.of(LAYER, Digest.of(Digest.SHA512, content), content.length);
    store.push(desc, new ByteArrayInputStream(content));
    assertThat(layout().resolve("blobs/sha512/" + desc.digest().encoded())).exists();
    assertThat(StorageContract.fetchAll(store, desc)).isEqualTo(content);
  }

  @Test
  void annotationsOfATaggedDescriptorAreKept() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor manifest =
        image(store, "annotated").withAnnotations(Map.of("com.example.note", "hi"));
    store.tag(manifest, "v1");
    Descriptor resolved = OciLayoutStore.open(layout()).resolve("v1");
    assertThat(resolved.annotations())
        .containsEntry("com.example.note", "hi")
        .containsEntry(Annotations.REF_NAME, "v1");
  }
}
