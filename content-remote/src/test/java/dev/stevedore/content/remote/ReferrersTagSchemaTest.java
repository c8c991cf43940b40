package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Index;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Referrers on distribution 2.8, which has no referrers API: the referrers tag schema. */
@Timeout(60)
class ReferrersTagSchemaTest {
  private static final String SIGNATURE = "application/vnd.example.signature";
  private static final String SBOM = "application/vnd.example.sbom";
  private static final AtomicInteger NAMES = new AtomicInteger();

  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  private Repository open(boolean keepIndexes) {
    Repository.Builder builder =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("referrers/repo-" + NAMES.incrementAndGet())
            .plainHttp();
    if (keepIndexes) {
      builder.keepSupersededReferrersIndexes();
    }
    repository = builder.build();
    return repository;
  }

  @AfterEach
  void close() {
    repository.close();
  }

  private static Descriptor subject(Repository repo) throws Exception {
    Descriptor layer =
        Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER, Fixtures.utf8("subject layer"));
    return Fixtures.pushImage(repo, List.of(layer));
  }

  @Test
  void aPushedSignatureIsListedAsAReferrerWithItsArtifactType() throws Exception {
    Repository repo = open(false);
    Descriptor subject = subject(repo);
    Descriptor signature = Fixtures.pushReferrer(repo, subject, SIGNATURE, Fixtures.utf8("sig"));

    List<Descriptor> referrers = repo.listReferrers(subject, null);

    assertThat(referrers).extracting(Descriptor::digest).containsExactly(signature.digest());
    assertThat(referrers.get(0).artifactType()).isEqualTo(SIGNATURE);
    assertThat(referrers.get(0).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(repo.supportsReferrersApi()).isFalse();
  }

  @Test
  void theReferrersIndexIsTaggedWithTheSubjectDigest() throws Exception {
    Repository repo = open(false);
    Descriptor subject = subject(repo);
    Descriptor signature = Fixtures.pushReferrer(repo, subject, SIGNATURE, Fixtures.utf8("sig"));
    String tag = "sha256-" + subject.digest().encoded();

    try (var fetched = repo.fetchReference(tag)) {
      assertThat(fetched.descriptor().mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
      Index index = Index.parse(fetched.content().readAllBytes());
      assertThat(index.manifests())
          .extracting(Descriptor::digest)
          .containsExactly(signature.digest());
    }
  }

  @Test
  void theArtifactTypeFilterSelectsReferrers() throws Exception {
    Repository repo = open(false);
    Descriptor subject = subject(repo);
    Descriptor signature = Fixtures.pushReferrer(repo, subject, SIGNATURE, Fixtures.utf8("sig"));
    Descriptor sbom = Fixtures.pushReferrer(repo, subject, SBOM, Fixtures.utf8("sbom"));

    assertThat(repo.listReferrers(subject, SBOM))
        .extracting(Descriptor::digest)
        .containsExactly(sbom.digest());
    assertThat(repo.listReferrers(subject, SIGNATURE))
        .extracting(Descriptor::digest)
        .containsExactly(signature.digest());
    assertThat(repo.listReferrers(subject, "application/vnd.example.none")).isEmpty();
  }

  @Test
  void theSupersededIndexIsDeleted() throws Exception {
    Repository repo = open(false);
    Descriptor subject = subject(repo);
    Fixtures.pushReferrer(repo, subject, SIGNATURE, Fixtures.utf8("sig"));
    Descriptor first = repo.resolve("sha256-" + subject.digest().encoded());
    Fixtures.pushReferrer(repo, subject, SBOM, Fixtures.utf8("sbom"));

    assertThat(repo.resolve("sha256-" + subject.digest().encoded()).digest())
        .isNotEqualTo(first.digest());
    assertThat(repo.exists(first)).isFalse();
  }

  @Test
  void withReferrersGcOffTheSupersededIndexStays() throws Exception {
    Repository repo = open(true);
    Descriptor subject = subject(repo);
    Fixtures.pushReferrer(repo, subject, SIGNATURE, Fixtures.utf8("sig"));
    Descriptor first = repo.resolve("sha256-" + subject.digest().encoded());
    Fixtures.pushReferrer(repo, subject, SBOM, Fixtures.utf8("sbom"));

    assertThat(repo.exists(first)).isTrue();
  }

  @Test
  void deletingAReferrerRemovesItFromTheIndex() throws Exception {
    Repository repo = open(false);
    Descriptor subject = subject(repo);
    Descriptor signature = Fixtures.pushReferrer(repo, subject, SIGNATURE, Fixtures.utf8("sig"));
    Descriptor sbom = Fixtures.pushReferrer(repo, subject, SBOM, Fixtures.utf8("sbom"));

    repo.delete(signature);

    assertThat(repo.listReferrers(subject, null))
        .extracting(Descriptor::digest)
        .containsExactly(sbom.digest());
  }

  @Test
  void deletingTheLastReferrerRemovesTheIndex() throws Exception {
    Repository repo = open(false);
    Descriptor subject = subject(repo);
    Descriptor signature = Fixtures.pushReferrer(repo, subject, SIGNATURE, Fixtures.utf8("sig"));

    repo.delete(signature);

    assertThat(repo.listReferrers(subject, null)).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> repo.resolve("sha256-" + subject.digest().encoded()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void concurrentReferrerPushesAreAllIndexed() throws Exception {
    Repository repo = open(false);
    Descriptor subject = subject(repo);
    List<Descriptor> pushed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    List<Throwable> failures =
        dev.stevedore.testing.StorageContract.runConcurrently(
            6,
            i -> {
              pushed.add(
                  Fixtures.pushReferrer(repo, subject, SIGNATURE, Fixtures.utf8("sig-" + i)));
              return i;
            });
    assertThat(failures).isEmpty();
    assertThat(repo.listReferrers(subject, null))
        .extracting(Descriptor::digest)
        .containsExactlyInAnyOrderElementsOf(pushed.stream().map(Descriptor::digest).toList());
  }

  @Test
  void aReferrerWithAnnotationsKeepsThemInTheIndex() throws Exception {
    Repository repo = open(false);
    Descriptor subject = subject(repo);
    Descriptor config = Fixtures.push(repo, MediaTypes.EMPTY_JSON, MediaTypes.emptyJsonBytes());
    Descriptor annotated =
        Fixtures.pushManifest(
            repo,
            SIGNATURE,
            config,
            List.of(),
            subject.plain(),
            Map.of("org.example.signer", "alice"));

    Descriptor listed = repo.listReferrers(subject, null).get(0);
    assertThat(listed.digest()).isEqualTo(annotated.digest());
    assertThat(listed.annotation("org.example.signer")).isEqualTo("alice");
  }
}
