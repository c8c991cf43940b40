package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import dev.stevedore.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, items 1-3: a layout never loses what a user stored. Re-tagging keeps the former
 * manifest; gc never deletes what it could not read; gc and export work on sparse layouts and say
 * what is missing.
 */
class OciLayoutDataSafetyTest {
  private static final String LAYER = "application/vnd.stevedore.test.layer";

  @TempDir Path dir;

  private Path layout() {
    return dir.resolve("layout");
  }

  private static Descriptor image(OciLayoutStore store, String seed) throws Exception {
    Descriptor layer = Fixtures.pushBlob(store, LAYER, Fixtures.utf8(seed));
    return Fixtures.pushImage(store, List.of(layer));
  }

  // ------------------------------------------------------------ 1. re-tagging

  @Test
  void retaggingKeepsTheFormerManifestListedAndResolvableByDigest() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor first = image(store, "first");
    Descriptor second = image(store, "second");
    store.tag(first, "x");
    store.tag(second, "x");

    assertThat(store.resolve("x").digest()).isEqualTo(second.digest());
    assertThat(store.indexEntries()).extracting(Descriptor::digest).contains(first.digest());
    OciLayoutStore reopened = OciLayoutStore.open(layout());
    assertThat(reopened.resolve(first.digest().toString()).digest()).isEqualTo(first.digest());
    assertThat(Contents.fetchAll(reopened, first, 1 << 20)).isNotEmpty();
  }

  @Test
  void gcAfterARetagKeepsTheFormerManifestAndItsBlobs() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor layer = Fixtures.pushBlob(store, LAYER, Fixtures.utf8("first layer"));
    Descriptor first = Fixtures.pushImage(store, List.of(layer));
    Descriptor second = image(store, "second");
    store.tag(first, "x");
    store.tag(second, "x");

    GcResult result = OciLayoutStore.open(layout()).gc();

    assertThat(result.removedBlobs()).isEmpty();
    assertThat(store.exists(first)).isTrue();
    assertThat(store.exists(layer)).isTrue();
  }

  // ------------------------------------------------------------ 2. gc never deletes what it cannot
  // read

  /**
   * A referrer of a tagged image that index.json does not list (another tool rewrote index.json).
   */
  private Descriptor unlistedReferrer(OciLayoutStore store, String payloadNote) throws Exception {
    Descriptor subject = image(store, "subject");
    Descriptor config =
        Fixtures.pushBlob(store, MediaTypes.EMPTY_JSON.mediaType(), MediaTypes.emptyJsonBytes());
    Descriptor payload =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.payload", Fixtures.utf8("sig"));
    Descriptor referrer =
        Fixtures.pushManifest(
            store,
            "application/vnd.stevedore.signature",
            config,
            List.of(payload),
            subject.plain(),
            Map.of("note", payloadNote));
    store.tag(subject, "v1");
    String onlyTag =
        "{\"schemaVersion\":2,\"manifests\":["
            + new String(store.resolve("v1").toJson(), StandardCharsets.UTF_8)
            + "]}";
    Files.writeString(layout().resolve("index.json"), onlyTag);
    return referrer;
  }

  @Test
  void gcKeepsAReferrerOverTheMetadataLimitAndReportsIt() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor referrer = unlistedReferrer(store, "x".repeat(4000));

    GcResult result =
        OciLayoutStore.open(layout(), OciLayoutOptions.defaults().withMaxMetadataBytes(2000)).gc();

    assertThat(result.removedBlobs()).doesNotContain(referrer.digest());
    assertThat(result.kept()).containsKey(referrer.digest());
    assertThat(result.kept().get(referrer.digest())).contains("metadata limit");
    assertThat(store.exists(referrer)).isTrue();
  }

  @Test
  void gcKeepsABlobThatLooksLikeJsonButCannotBeParsedAndReportsIt() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    byte[] broken = Fixtures.utf8("{\"schemaVersion\":2,\"subject\":{\"digest\":");
    Descriptor blob = Fixtures.pushBlob(store, LAYER, broken);

    GcResult result = store.gc();

    assertThat(result.kept()).containsKey(blob.digest());
    assertThat(store.exists(blob)).isTrue();
  }

  @Test
  void gcStillRemovesUnreferencedBlobsThatAreNotJson() throws Exception {
    OciLayoutStore store =
        OciLayoutStore.open(layout(), OciLayoutOptions.defaults().withMaxMetadataBytes(100));
    Descriptor big = Fixtures.pushBlob(store, LAYER, new byte[5000]);
    assertThat(store.gc().removedBlobs()).containsExactly(big.digest());
  }

  // ------------------------------------------------------------ 3. sparse layouts

  /** An index of two platforms of which only the first was copied, tagged v1. */
  private Descriptor[] sparseLayout(OciLayoutStore store) throws Exception {
    Descriptor amd64 = image(store, "amd64").withPlatform(Platform.of("linux", "amd64"));
    OciLayoutStore elsewhere = OciLayoutStore.open(dir.resolve("elsewhere"));
    Descriptor arm64 = image(elsewhere, "arm64").withPlatform(Platform.of("linux", "arm64"));
    Descriptor index = Fixtures.pushIndex(store, List.of(amd64, arm64));
    store.tag(index, "v1");
    return new Descriptor[] {index, amd64, arm64};
  }

  @Test
  void gcWorksOnASparseLayoutAndNamesWhatIsMissing() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor[] sparse = sparseLayout(store);
    Descriptor orphan = Fixtures.pushBlob(store, LAYER, Fixtures.utf8("orphan"));

    GcResult result = store.gc();

    assertThat(result.removedBlobs()).containsExactly(orphan.digest());
    assertThat(result.missing()).extracting(Descriptor::digest).containsExactly(sparse[2].digest());
    assertThat(store.exists(sparse[1])).isTrue();
    assertThat(result.toString()).contains(sparse[2].digest().toString());
  }

  @Test
  void exportOfASparseLayoutWritesWhatIsThereAndNamesWhatIsMissing() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor[] sparse = sparseLayout(store);
    Path tar = dir.resolve("sparse.tar");

    ExportResult result = store.exportArchive(tar);

    assertThat(result.complete()).isFalse();
    assertThat(result.missing()).extracting(Descriptor::digest).containsExactly(sparse[2].digest());
    try (OciLayoutArchive archive = OciLayoutStore.openArchive(tar)) {
      assertThat(archive.resolve("v1").digest()).isEqualTo(sparse[0].digest());
      assertThat(archive.exists(sparse[1])).isTrue();
      assertThat(archive.exists(sparse[2])).isFalse();
    }
  }

  @Test
  void exportOfATagOfASparseLayoutWorksToo() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    Descriptor[] sparse = sparseLayout(store);
    Path tar = dir.resolve("tag.tar");

    ExportResult result = store.exportArchive(tar, List.of("v1"));

    assertThat(result.missing()).extracting(Descriptor::digest).containsExactly(sparse[2].digest());
    try (OciLayoutArchive archive = OciLayoutStore.openArchive(tar)) {
      assertThat(archive.resolve("v1").annotations()).containsEntry(Annotations.REF_NAME, "v1");
      assertThat(archive.exists(sparse[1])).isTrue();
    }
  }

  @Test
  void exportOfACompleteLayoutSaysSo() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(layout());
    store.tag(image(store, "whole"), "v1");
    ExportResult result = store.exportArchive(dir.resolve("whole.tar"));
    assertThat(result.complete()).isTrue();
    assertThat(result.blobs()).isEqualTo(3);
  }
}
