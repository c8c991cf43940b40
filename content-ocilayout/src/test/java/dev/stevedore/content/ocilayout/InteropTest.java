package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Fetcher;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.ReadOnlyStorage;
import dev.stevedore.content.internal.Json;
import dev.stevedore.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with tools nobody here wrote: skopeo and umoci read what we write, and we read what they
 * write.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InteropTest {
  @TempDir Path dir;

  private static JsonNode json(String text) throws IOException {
    return Json.tree(text.getBytes(StandardCharsets.UTF_8), "tool output");
  }

  /** Fetches a manifest and every blob it names, verified; returns the blobs' descriptors. */
  private static List<Descriptor> readImage(ReadOnlyStorage store, Descriptor manifestDesc)
      throws IOException {
    Manifest manifest = Manifest.parse(Contents.fetchAll(store, manifestDesc, 1 << 20));
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(manifest.config());
    blobs.addAll(manifest.layers());
    for (Descriptor blob : blobs) {
      assertThat(store.exists(blob)).as("exists " + blob).isTrue();
      drain(store, blob);
    }
    return blobs;
  }

  private static void drain(Fetcher store, Descriptor desc) throws IOException {
    try (InputStream in = store.fetch(desc)) {
      assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(desc.size());
    }
  }

  private OciLayoutStore ourLayout(String name, String tag) throws IOException {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve(name));
    store.tag(TestImages.pushImage(store, name), tag);
    return store;
  }

  // ------------------------------------------------------------ they read ours

  @Test
  void skopeoInspectsALayoutWeWrote() throws Exception {
    OciLayoutStore store = ourLayout("ours", "v1");
    JsonNode inspected = json(Tools.skopeo("inspect", "oci:" + store.root() + ":v1"));
    assertThat(inspected.get("Digest").asText()).isEqualTo(store.resolve("v1").digest().toString());
    assertThat(inspected.get("Os").asText()).isEqualTo("linux");
    assertThat(inspected.get("Layers")).hasSize(1);
  }

  @Test
  void umociListsTheTagsOfALayoutWeWrote() throws Exception {
    OciLayoutStore store = ourLayout("ours", "v1");
    store.tag(store.resolve("v1"), "latest");
    // an untagged manifest is listed too, as oras-go lists every pushed manifest
    TestImages.pushImage(store, "untagged");
    String listed = Tools.umoci("ls", "--layout", store.root().toString());
    assertThat(listed.lines().toList()).containsExactlyInAnyOrder("latest", "v1");
  }

  @Test
  void umociUnpacksAnImageWeWrote() throws Exception {
    OciLayoutStore store = ourLayout("ours", "v1");
    Path bundle = dir.resolve("bundle");
    Tools.umoci("unpack", "--rootless", "--image", store.root() + ":v1", bundle.toString());
    assertThat(Files.readString(bundle.resolve("rootfs/hello-ours.txt")))
        .isEqualTo("hello from ours\n");
  }

  @Test
  void skopeoCopiesALayoutWeWroteWhole() throws Exception {
    OciLayoutStore store = ourLayout("ours", "v1");
    Path copy = dir.resolve("copy");
    Tools.skopeo(
        "copy", "--preserve-digests", "oci:" + store.root() + ":v1", "oci:" + copy + ":v1");
    OciLayoutStore copied = OciLayoutStore.open(copy);
    Descriptor manifest = copied.resolve("v1");
    assertThat(manifest.digest()).isEqualTo(store.resolve("v1").digest());
    assertThat(readImage(copied, manifest)).hasSize(2);
  }

  @Test
  void skopeoReadsAnArchiveWeWrote() throws Exception {
    OciLayoutStore store = ourLayout("ours", "v1");
    Path tar = dir.resolve("ours.tar");
    store.exportArchive(tar, List.of("v1"));
    JsonNode inspected = json(Tools.skopeo("inspect", "oci-archive:" + tar + ":v1"));
    assertThat(inspected.get("Digest").asText()).isEqualTo(store.resolve("v1").digest().toString());
    Path copy = dir.resolve("from-archive");
    Tools.skopeo("copy", "--preserve-digests", "oci-archive:" + tar + ":v1", "oci:" + copy + ":v1");
    assertThat(readImage(OciLayoutStore.open(copy), OciLayoutStore.open(copy).resolve("v1")))
        .hasSize(2);
  }

  @Test
  void skopeoCopiesAMultiPlatformIndexWeWroteWithAllItsManifests() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("multi"));
    Descriptor amd = TestImages.pushImage(store, "amd64");
    Descriptor arm = TestImages.pushImage(store, "arm64");
    Descriptor index =
        Fixtures.pushIndex(
            store,
            List.of(
                amd.withPlatform(dev.stevedore.content.Platform.of("linux", "amd64")),
                arm.withPlatform(dev.stevedore.content.Platform.of("linux", "arm64"))));
    store.tag(index, "v1");
    Path copy = dir.resolve("copy");
    Tools.skopeo(
        "copy",
        "--all",
        "--preserve-digests",
        "oci:" + store.root() + ":v1",
        "oci:" + copy + ":v1");

    OciLayoutStore copied = OciLayoutStore.open(copy);
    assertThat(copied.resolve("v1").digest()).isEqualTo(index.digest());
    for (Descriptor manifest : List.of(amd, arm)) {
      readImage(copied, manifest);
      assertThat(copied.predecessors(manifest))
          .extracting(Descriptor::digest)
          .containsExactly(index.digest());
    }
  }

  @Test
  void umociGarbageCollectionKeepsEverythingOurIndexReaches() throws Exception {
    OciLayoutStore store = ourLayout("ours", "v1");
    Descriptor untagged = TestImages.pushImage(store, "untagged");
    Tools.umoci("gc", "--layout", store.root().toString());
    OciLayoutStore reopened = OciLayoutStore.open(store.root());
    readImage(reopened, reopened.resolve("v1"));
    readImage(reopened, untagged);
  }

  @Test
  void skopeoWritesIntoALayoutWeCreatedAndWeSeeItsTag() throws Exception {
    OciLayoutStore source = ourLayout("source", "v1");
    OciLayoutStore target = ourLayout("target", "mine");
    Tools.skopeo(
        "copy",
        "--preserve-digests",
        "oci:" + source.root() + ":v1",
        "oci:" + target.root() + ":theirs");
    assertThat(target.listTags()).containsExactly("mine", "theirs");
    assertThat(target.resolve("theirs").digest()).isEqualTo(source.resolve("v1").digest());
    readImage(target, target.resolve("theirs"));
  }

  // ------------------------------------------------------------ we read theirs

  @Test
  void aLayoutWrittenByUmociOpensAndPassesTheReads() throws Exception {
    Path layout = dir.resolve("umoci");
    Tools.umoci("init", "--layout", layout.toString());
    Tools.umoci("new", "--image", layout + ":t1");
    Path file = Files.writeString(dir.resolve("greeting.txt"), "hello from umoci\n");
    Tools.umoci("insert", "--image", layout + ":t1", file.toString(), "/greeting.txt");

    OciLayoutStore store = OciLayoutStore.open(layout);
    assertThat(store.listTags()).containsExactly("t1");
    Descriptor manifest = store.resolve("t1");
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    List<Descriptor> blobs = readImage(store, manifest);
    assertThat(blobs).hasSize(2);
    for (Descriptor blob : blobs) {
      assertThat(store.predecessors(blob))
          .extracting(Descriptor::digest)
          .containsExactly(manifest.digest());
    }
    assertThat(store.resolve(manifest.digest().toString()).digest()).isEqualTo(manifest.digest());
  }

  @Test
  void aLayoutWrittenBySkopeoOpensResolvesAndTakesNewTags() throws Exception {
    OciLayoutStore source = ourLayout("source", "v1");
    Path layout = dir.resolve("skopeo");
    Tools.skopeo("copy", "oci:" + source.root() + ":v1", "oci:" + layout + ":example.com/app:v1");

    OciLayoutStore store = OciLayoutStore.open(layout);
    Descriptor manifest = store.resolve("example.com/app:v1");
    readImage(store, manifest);
    store.tag(manifest, "again");
    assertThat(Tools.skopeo("inspect", "oci:" + layout + ":again"))
        .contains(manifest.digest().toString());
  }

  @Test
  void aLayoutTarredByGnuTarOpensAsAnArchive() throws Exception {
    OciLayoutStore store = ourLayout("ours", "v1");
    Path tar = dir.resolve("gnu.tar");
    Process process =
        new ProcessBuilder("tar", "-C", store.root().toString(), "-cf", tar.toString(), ".")
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
    try (OciLayoutArchive archive = OciLayoutStore.openArchive(tar)) {
      assertThat(archive.resolve("v1").digest()).isEqualTo(store.resolve("v1").digest());
      readImage(archive, archive.resolve("v1"));
    }
  }

  @Test
  void anOciArchiveWrittenBySkopeoOpensReadOnly() throws Exception {
    OciLayoutStore source = ourLayout("source", "v1");
    Descriptor layer =
        Fixtures.pushBlob(source, MediaTypes.OCI_LAYER_GZIP, TestImages.layer("x", "y").gzip());
    Path tar = dir.resolve("skopeo.tar");
    Tools.skopeo(
        "copy", "--preserve-digests", "oci:" + source.root() + ":v1", "oci-archive:" + tar + ":v1");

    try (OciLayoutArchive archive = OciLayoutStore.openArchive(tar)) {
      assertThat(archive.listTags()).containsExactly("v1");
      Descriptor manifest = archive.resolve("v1");
      assertThat(manifest.digest()).isEqualTo(source.resolve("v1").digest());
      for (Descriptor blob : readImage(archive, manifest)) {
        assertThat(archive.predecessors(blob))
            .extracting(Descriptor::digest)
            .containsExactly(manifest.digest());
      }
      assertThat(archive.exists(layer)).isFalse();
    }
  }
}
