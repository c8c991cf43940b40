package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.DockerConfigStore;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyOptions;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The README's copy snippet, compiled and run against a real registry. */
@Timeout(60)
class ReadmeCopySnippetTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @TempDir Path dir;

  @Test
  void theReadmeCopySnippetCopiesFromARegistryToALayout() throws Exception {
    String reference = REGISTRY.registry().hostPort() + "/hello";
    try (Repository seed = Repository.builder().reference(reference).plainHttp().build()) {
      Descriptor manifest =
          Fixtures.pushImage(
              seed, List.of(Fixtures.pushBlob(seed, "text/plain", Fixtures.utf8("hi"))));
      seed.tag(manifest, "v1");
    }
    Path mirror = dir.resolve("mirror");
    // --- README snippet begins (with the test registry's reference)
    try (Repository repo =
        Repository.builder()
            .reference(reference)
            .plainHttp()
            .credentials(DockerConfigStore.openDefault())
            .build()) {
      Descriptor root =
          Copy.copy(repo, "v1", OciLayoutStore.open(mirror), "v1", CopyOptions.defaults());
      // --- README snippet ends
      assertThat(OciLayoutStore.open(mirror).resolve("v1").digest()).isEqualTo(root.digest());
    }
  }
}
