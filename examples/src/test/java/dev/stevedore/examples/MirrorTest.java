package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Index;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Platform;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MirrorTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Platform ARM64 = Platform.of("linux", "arm64");

  @TempDir Path temp;

  private Repository repository(String name) {
    return Repository.builder()
        .registry(REGISTRY.registry().hostPort())
        .name(name)
        .plainHttp()
        .build();
  }

  /** An index of two platform manifests that share two of their three layers. */
  private static Descriptor pushMultiPlatformImage(Repository repo, String tag) throws Exception {
    Descriptor shared1 =
        Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER_GZIP, Fixtures.randomBytes(2000, 11));
    Descriptor shared2 =
        Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER_GZIP, Fixtures.randomBytes(3000, 12));
    Descriptor amdOnly =
        Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER_GZIP, Fixtures.randomBytes(1000, 13));
    Descriptor armOnly =
        Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER_GZIP, Fixtures.randomBytes(1000, 14));
    Descriptor amd =
        Fixtures.pushManifest(
            repo,
            null,
            Fixtures.pushConfig(repo, AMD64),
            List.of(shared1, shared2, amdOnly),
            null,
            Map.of());
    Descriptor arm =
        Fixtures.pushManifest(
            repo,
            null,
            Fixtures.pushConfig(repo, ARM64),
            List.of(shared1, shared2, armOnly),
            null,
            Map.of());
    Descriptor index =
        Fixtures.pushIndex(repo, List.of(amd.withPlatform(AMD64), arm.withPlatform(ARM64)));
    repo.tag(index, tag);
    return index;
  }

  @Test
  void aMultiPlatformImageIsMirroredWithEveryBlobMountedOnce() throws Exception {
    try (Repository source = repository("mirror/source");
        Repository destination = repository("mirror/copy")) {
      Descriptor index = pushMultiPlatformImage(source, "v1");

      Mirror.Result result = Mirror.mirrorImage(source, "v1", destination, "v1");

      assertThat(result.root().digest()).isEqualTo(index.digest());
      // 2 configs + 2 shared layers + 2 platform-only layers, each mounted once; 3 manifests pushed
      assertThat(result.mounted()).isEqualTo(6);
      assertThat(result.transferred()).isEqualTo(3);
      assertThat(destination.resolve("v1").digest()).isEqualTo(index.digest());
      Index copied = Index.parse(Contents.fetchAll(destination, index, 1 << 20));
      for (Descriptor platform : copied.manifests()) {
        Manifest manifest = Manifest.parse(Contents.fetchAll(destination, platform, 1 << 20));
        assertThat(destination.exists(manifest.config())).isTrue();
        for (Descriptor layer : manifest.layers()) {
          assertThat(destination.exists(layer)).isTrue();
        }
      }

      Mirror.Result again = Mirror.mirrorImage(source, "v1", destination, "v2");
      assertThat(again.mounted()).isZero();
      assertThat(again.skipped()).isEqualTo(1);
    }
  }

  @Test
  void onePlatformIsPickedIntoALayout() throws Exception {
    try (Repository source = repository("mirror/pick")) {
      Descriptor index = pushMultiPlatformImage(source, "v1");
      OciLayoutStore layout = OciLayoutStore.open(temp.resolve("arm64"));

      Descriptor picked = Mirror.pickPlatform(source, "v1", ARM64, layout, "v1-arm64");

      Descriptor arm = Index.parse(Contents.fetchAll(source, index, 1 << 20)).manifests().get(1);
      assertThat(picked.digest()).isEqualTo(arm.digest());
      assertThat(layout.resolve("v1-arm64").digest()).isEqualTo(arm.digest());
      assertThat(layout.exists(index)).as("only the platform's manifest, not the index").isFalse();
      Manifest manifest = Manifest.parse(Contents.fetchAll(layout, picked, 1 << 20));
      assertThat(manifest.layers()).allSatisfy(layer -> assertThat(layout.exists(layer)).isTrue());

      assertThatThrownBy(
              () ->
                  Mirror.pickPlatform(source, "v1", Platform.of("windows", "amd64"), layout, "win"))
          .satisfies(e -> assertThat(ContentException.is(e, NotFoundException.class)).isTrue());
    }
  }

  @Test
  void anArtifactTravelsWithItsReferrersToALayoutAndBack() throws Exception {
    try (Repository source = repository("mirror/signed");
        Repository back = repository("mirror/restored")) {
      Descriptor artifact =
          Fixtures.pushImage(
              source,
              List.of(
                  Fixtures.pushBlob(
                      source, "application/vnd.example.data", Fixtures.utf8("payload"))));
      source.tag(artifact, "v1");
      Descriptor signature =
          Fixtures.pushReferrer(
              source, artifact, BundlePublisher.SIGSTORE_BUNDLE, Fixtures.utf8("signature"));
      Descriptor sbom =
          Fixtures.pushReferrer(source, artifact, "application/spdx+json", Fixtures.utf8("sbom"));
      Descriptor sbomSignature =
          Fixtures.pushReferrer(
              source, sbom, BundlePublisher.SIGSTORE_BUNDLE, Fixtures.utf8("sbom signature"));
      OciLayoutStore layout = OciLayoutStore.open(temp.resolve("offline"));

      Mirror.copyWithReferrers(source, "v1", layout, "v1", null);

      assertThat(layout.resolve("v1").digest()).isEqualTo(artifact.digest());
      assertThat(layout.predecessors(artifact))
          .extracting(Descriptor::digest)
          .containsExactlyInAnyOrder(signature.digest(), sbom.digest());
      assertThat(layout.exists(sbomSignature)).as("referrers of referrers come too").isTrue();

      Mirror.copyWithReferrers(layout, "v1", back, "v1", null);

      assertThat(back.resolve("v1").digest()).isEqualTo(artifact.digest());
      assertThat(back.listReferrers(artifact, null))
          .extracting(Descriptor::digest)
          .containsExactlyInAnyOrder(signature.digest(), sbom.digest());
      assertThat(back.listReferrers(sbom, null))
          .extracting(Descriptor::digest)
          .containsExactly(sbomSignature.digest());
    }
  }

  @Test
  void referrersCanBeFilteredByArtifactType() throws Exception {
    try (Repository source = repository("mirror/filtered")) {
      Descriptor artifact =
          Fixtures.pushImage(
              source,
              List.of(
                  Fixtures.pushBlob(
                      source, "application/vnd.example.data", Fixtures.utf8("filtered payload"))));
      source.tag(artifact, "v1");
      Descriptor signature =
          Fixtures.pushReferrer(
              source, artifact, BundlePublisher.SIGSTORE_BUNDLE, Fixtures.utf8("only this"));
      Descriptor sbom =
          Fixtures.pushReferrer(
              source, artifact, "application/spdx+json", Fixtures.utf8("not this"));
      OciLayoutStore layout = OciLayoutStore.open(temp.resolve("signatures-only"));

      Mirror.copyWithReferrers(
          source, "v1", layout, "v1", Pattern.compile("^application/vnd\\.dev\\.sigstore\\."));

      assertThat(layout.exists(signature)).isTrue();
      assertThat(layout.exists(sbom)).isFalse();
    }
  }
}
