package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry host against a real registry: ping and the paged catalog. */
@Timeout(60)
class RegistryTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private Registry open(int pageSize) {
    return Registry.builder()
        .host(REGISTRY.registry().hostPort())
        .plainHttp()
        .repositoryListPageSize(pageSize)
        .build();
  }

  @Test
  void pingSucceedsOnARegistry() throws Exception {
    try (Registry registry = open(0)) {
      registry.ping();
      assertThat(registry.baseUrl().toString())
          .isEqualTo("http://" + REGISTRY.registry().hostPort());
    }
  }

  @Test
  void theCatalogIsPagedByLink() throws Exception {
    try (Registry registry = open(2)) {
      for (String name : List.of("catalog/c", "catalog/a", "catalog/b", "catalog/d", "catalog/e")) {
        Fixtures.pushBlob(registry.repository(name), MediaTypes.OCI_LAYER, Fixtures.utf8(name));
      }
      List<List<String>> pages = new ArrayList<>();
      registry.repositories(null, pages::add);

      assertThat(pages).allSatisfy(page -> assertThat(page).hasSizeLessThanOrEqualTo(2));
      assertThat(pages.stream().flatMap(List::stream).filter(n -> n.startsWith("catalog/")))
          .containsExactly("catalog/a", "catalog/b", "catalog/c", "catalog/d", "catalog/e");
    }
  }

  @Test
  void theCatalogStartsAfterLast() throws Exception {
    try (Registry registry = open(0)) {
      Fixtures.pushBlob(registry.repository("after/x"), MediaTypes.OCI_LAYER, Fixtures.utf8("x"));
      Fixtures.pushBlob(registry.repository("after/y"), MediaTypes.OCI_LAYER, Fixtures.utf8("y"));

      List<String> seen = new ArrayList<>();
      registry.repositories("after/x", seen::addAll);

      assertThat(seen).contains("after/y").doesNotContain("after/x");
    }
  }

  @Test
  void aRepositoryOfTheRegistryLivesAsLongAsTheRegistry() throws Exception {
    Registry registry = open(0);
    Repository repo = registry.repository("shared/one");
    repo.close();
    assertThat(repo.exists(MediaTypes.EMPTY_JSON))
        .as("closing a registry's repository leaves the pool open")
        .isFalse();
    registry.close();
    assertThatThrownBy(() -> repo.exists(MediaTypes.EMPTY_JSON))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void anInvalidRepositoryNameIsRefused() {
    try (Registry registry = open(0)) {
      assertThatThrownBy(() -> registry.repository("Upper/Case"))
          .isInstanceOf(InvalidReferenceException.class);
    }
  }

  @Test
  void resolveBlobTellsTheSizeOfABlobKnownByDigest() throws Exception {
    try (Registry registry = open(0);
        Repository repo = registry.repository("resolve/blob")) {
      byte[] content = dev.stevedore.testing.Fixtures.randomBytes(12345, 12);
      dev.stevedore.content.Descriptor pushed =
          dev.stevedore.testing.Fixtures.pushBlob(repo, "application/x", content);
      dev.stevedore.content.Descriptor resolved = repo.resolveBlob(pushed.digest());
      assertThat(resolved.size()).isEqualTo(12345);
      assertThat(resolved.digest()).isEqualTo(pushed.digest());
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> repo.resolveBlob(dev.stevedore.content.Digest.sha256(new byte[] {1, 2, 3})))
          .isInstanceOf(dev.stevedore.content.NotFoundException.class);
    }
  }
}
