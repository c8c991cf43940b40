package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registry that refuses DELETE (docker-registry with {@code storage.delete.enabled: false}, as
 * GHCR and Docker Hub): deleting the superseded referrers index is best effort, so a second
 * referrer of a subject is pushed and listed, not failed with 405.
 */
@Timeout(60)
class ReferrersWithoutDeleteTest {
  private static final AtomicInteger NAMES = new AtomicInteger();

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(RegistryConfig.builder().deletesDisabled().build());

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  private final List<ReferrersWarning> warnings = new CopyOnWriteArrayList<>();

  private Repository open() {
    repository =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("referrers/nodelete-" + NAMES.incrementAndGet())
            .plainHttp()
            .referrersWarningHandler(warnings::add)
            .build();
    return repository;
  }

  @AfterEach
  void close() {
    repository.close();
  }

  @Test
  void aSecondReferrerIsPushedAndListedWhenTheOldIndexCannotBeDeleted() throws Exception {
    Repository repo = open();
    Descriptor layer = Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER, Fixtures.utf8("subject"));
    Descriptor subject = Fixtures.pushImage(repo, List.of(layer));

    Descriptor first =
        Fixtures.pushReferrer(repo, subject, "application/vnd.example.sig", Fixtures.utf8("one"));
    Descriptor second =
        Fixtures.pushReferrer(repo, subject, "application/vnd.example.sbom", Fixtures.utf8("two"));

    assertThat(repo.listReferrers(subject, null))
        .extracting(Descriptor::digest)
        .containsExactly(first.digest(), second.digest());
    assertThat(warnings)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.kind()).isEqualTo(ReferrersWarning.Kind.INDEX_NOT_DELETED);
              assertThat(w.subject()).isEqualTo(subject.digest());
              assertThat(w.cause()).isInstanceOf(RegistryResponseException.class);
              assertThat(w.message()).contains("superseded referrers index").contains("405");
            });
  }
}
