package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The oras-go seed (003): its PackManifest examples give the seed's exact bytes and digests, and
 * its ExtendedCopy / CopyGraph examples (blank destination reference = the source's) work against a
 * real registry through {@link Mirror}.
 */
@Timeout(60)
class OrasInteropTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private static final Map<String, String> CREATED =
      Map.of(Annotations.CREATED, "2000-01-01T00:00:00Z");

  private Repository repository(String name) {
    return Repository.builder()
        .registry(REGISTRY.registry().hostPort())
        .name(name)
        .plainHttp()
        .build();
  }

  @Test
  void packManifestGivesTheSeedsBytes() throws Exception {
    MemoryStore store = new MemoryStore();
    Descriptor v11 =
        Packer.packManifest(
            store,
            PackManifestVersion.V1_1,
            "application/vnd.example+type",
            PackManifestOptions.defaults().withManifestAnnotations(CREATED));
    assertThat(v11.digest().toString())
        .isEqualTo("sha256:c259a195a48d8029d75449579c81269ca6225cd5b57d36073a7de6458afdfdbd");
    assertThat(v11.size()).isEqualTo(528);
    assertThat(new String(Contents.fetchAll(store, v11, 1 << 20), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":"
                + "\"application/vnd.example+type\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
                + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2,\"data\":\"e30=\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
                + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2,\"data\":\"e30=\"}],"
                + "\"annotations\":{\"org.opencontainers.image.created\":\"2000-01-01T00:00:00Z\"}}");

    Descriptor v10 =
        Packer.packManifest(
            store,
            PackManifestVersion.V1_0,
            "application/vnd.example+type",
            PackManifestOptions.defaults().withManifestAnnotations(CREATED));
    assertThat(v10.digest().toString())
        .isEqualTo("sha256:da221a11559704e4971c3dcf6564303707a333c8de8cb5475fc48b0072b36c19");
    assertThat(v10.size()).isEqualTo(308);
  }

  /**
   * The seed's ExtendedCopyArtifactAndReferrersToRepository and ...FromRepository, through Mirror.
   */
  @Test
  void anArtifactAndItsReferrerGoToARepositoryAndBackUnderTheSourcesTag() throws Exception {
    MemoryStore src = new MemoryStore();
    Descriptor manifest =
        Packer.packManifest(
            src,
            PackManifestVersion.V1_1,
            "application/vnd.example+type",
            PackManifestOptions.defaults().withManifestAnnotations(CREATED));
    src.tag(manifest, "v1");
    Descriptor referrer =
        Packer.packManifest(
            src,
            PackManifestVersion.V1_1,
            "sbom/example",
            PackManifestOptions.defaults()
                .withSubject(manifest.plain())
                .withManifestAnnotations(CREATED));

    try (Repository repo = repository("oras/extended")) {
      Descriptor pushed = Mirror.copyWithReferrers(src, "v1", repo, "", null);
      assertThat(pushed.digest()).isEqualTo(manifest.digest());
      assertThat(repo.resolve("v1").digest()).isEqualTo(manifest.digest());
      assertThat(repo.listReferrers(manifest, "sbom/example"))
          .extracting(Descriptor::digest)
          .containsExactly(referrer.digest());

      MemoryStore dst = new MemoryStore();
      Descriptor pulled = Mirror.copyWithReferrers(repo, "v1", dst, null, null);
      assertThat(pulled.digest()).isEqualTo(manifest.digest());
      assertThat(dst.resolve("v1").digest()).isEqualTo(manifest.digest());
      assertThat(dst.exists(referrer)).isTrue();

      // an annotation filter that no referrer passes copies the artifact alone
      MemoryStore filtered = new MemoryStore();
      Mirror.copyWithReferrers(
          repo, "v1", filtered, "v1", null, "org.example.signed", Pattern.compile("true"), 0);
      assertThat(filtered.exists(manifest)).isTrue();
      assertThat(filtered.exists(referrer)).isFalse();

      // CopyArtifactFromRepository: CopyGraph of the resolved digest into memory
      MemoryStore graph = new MemoryStore();
      Descriptor resolved = repo.resolve(manifest.digest().toString());
      Copy.copyGraph(repo, graph, resolved, CopyGraphOptions.defaults());
      assertThat(graph.exists(resolved)).isTrue();
    }
  }

  @Test
  void aMirrorWithoutADestinationTagUsesTheSourceTag() throws Exception {
    MemoryStore src = new MemoryStore();
    Descriptor manifest =
        Packer.packManifest(
            src,
            PackManifestVersion.V1_1,
            "application/vnd.example+type",
            PackManifestOptions.defaults().withManifestAnnotations(CREATED));
    src.tag(manifest, "latest");
    try (Repository source = repository("oras/source");
        Repository destination = repository("oras/destination")) {
      Copy.copy(src, "latest", source, "", dev.stevedore.copy.CopyOptions.defaults());
      Mirror.Result result = Mirror.mirrorImage(source, "latest", destination, null);
      assertThat(result.root().digest()).isEqualTo(manifest.digest());
      assertThat(destination.resolve("latest").digest()).isEqualTo(manifest.digest());
    }
  }
}
