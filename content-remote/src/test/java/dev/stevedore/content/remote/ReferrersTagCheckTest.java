package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The referrers tag schema reads only what is a referrers index (oras-go #1396): a manifest or an
 * index of blobs tagged {@code sha256-<hex>} is ignored, never parsed as referrers, and never
 * deleted as a superseded index. Against a real docker-registry (deletes enabled, so a wrong delete
 * would go through).
 */
@Timeout(60)
class ReferrersTagCheckTest {
  private static final AtomicInteger NAMES = new AtomicInteger();

  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  private final List<ReferrersWarning> warnings = new CopyOnWriteArrayList<>();

  private Repository open() {
    repository =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("referrers/check-" + NAMES.incrementAndGet())
            .plainHttp()
            .referrersWarningHandler(warnings::add)
            .build();
    return repository;
  }

  @AfterEach
  void close() {
    repository.close();
  }

  private static Descriptor image(Repository repo, String text) throws Exception {
    Descriptor layer = Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER, Fixtures.utf8(text));
    return Fixtures.pushImage(repo, List.of(layer));
  }

  private static String tagOf(Descriptor subject) {
    return subject.digest().algorithm() + "-" + subject.digest().encoded();
  }

  @Test
  void anImageTaggedLikeAReferrersIndexIsIgnoredAndKept() throws Exception {
    Repository repo = open();
    Descriptor subject = image(repo, "subject");
    Descriptor unrelated = image(repo, "someone else's image");
    repo.tag(unrelated, tagOf(subject));

    assertThat(repo.listReferrers(subject, null)).isEmpty();
    assertThat(warnings)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.kind()).isEqualTo(ReferrersWarning.Kind.NOT_A_REFERRERS_INDEX);
              assertThat(w.message()).contains(tagOf(subject)).contains("ignored");
            });

    Descriptor signature =
        Fixtures.pushReferrer(repo, subject, "application/vnd.example.sig", Fixtures.utf8("sig"));
    assertThat(repo.listReferrers(subject, null))
        .extracting(Descriptor::digest)
        .containsExactly(signature.digest());
    assertThat(repo.exists(unrelated))
        .as("the image under the tag is not deleted as a superseded index")
        .isTrue();
  }

  @Test
  void anIndexOfBlobsTaggedLikeAReferrersIndexIsIgnored() throws Exception {
    Repository repo = open();
    Descriptor subject = image(repo, "subject");
    // An entry that says it is not a manifest (distribution checks only that the digest exists).
    Descriptor odd =
        Fixtures.pushIndex(
            repo,
            List.of(
                Descriptor.of("application/vnd.example.data", subject.digest(), subject.size())));
    repo.tag(odd, tagOf(subject));

    assertThat(repo.listReferrers(subject, null)).isEmpty();
    assertThat(warnings)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.kind()).isEqualTo(ReferrersWarning.Kind.NOT_A_REFERRERS_INDEX);
              assertThat(w.message()).contains(tagOf(subject)).contains("ignored");
            });

    Descriptor signature =
        Fixtures.pushReferrer(repo, subject, "application/vnd.example.sig", Fixtures.utf8("sig"));
    assertThat(repo.listReferrers(subject, null))
        .extracting(Descriptor::digest)
        .containsExactly(signature.digest());
    assertThat(repo.exists(odd)).isTrue();
  }
}
