package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.remote.credentials.DockerConfigStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker Hub's names map to the API host and the library namespace, as docker does; no network. */
class DockerHubNamesTest {
  @TempDir Path dir;

  @Test
  void dockerHubNamesTalkToRegistryOne() {
    assertThat(DockerHubNames.host("docker.io")).isEqualTo("registry-1.docker.io");
    assertThat(DockerHubNames.host("index.docker.io")).isEqualTo("registry-1.docker.io");
    assertThat(DockerHubNames.host("registry-1.docker.io")).isEqualTo("registry-1.docker.io");
    assertThat(DockerHubNames.host("ghcr.io")).isEqualTo("ghcr.io");
    assertThat(DockerHubNames.host("localhost:5000")).isEqualTo("localhost:5000");
  }

  @Test
  void singleNameRepositoriesOfDockerHubAreInTheLibraryNamespace() {
    assertThat(DockerHubNames.repository("docker.io", "alpine")).isEqualTo("library/alpine");
    assertThat(DockerHubNames.repository("docker.io", "library/alpine"))
        .isEqualTo("library/alpine");
    assertThat(DockerHubNames.repository("index.docker.io", "bitnami/redis"))
        .isEqualTo("bitnami/redis");
    assertThat(DockerHubNames.repository("localhost:5000", "alpine")).isEqualTo("alpine");
  }

  @Test
  void aRepositoryOfDockerHubIsBuiltForTheApiHost() throws Exception {
    for (String reference :
        new String[] {
          "docker.io/library/alpine:3.20",
          "docker.io/alpine",
          "index.docker.io/alpine:3.20",
          "index.docker.io/library/alpine@sha256:" + "a".repeat(64)
        }) {
      try (Repository repo = Repository.builder().reference(reference).build()) {
        assertThat(repo.registry()).as(reference).isEqualTo("registry-1.docker.io");
        assertThat(repo.name()).as(reference).isEqualTo("library/alpine");
        assertThat(repo.baseUrl()).as(reference).hasToString("https://registry-1.docker.io");
      }
    }
  }

  @Test
  void aRegistryOfDockerHubHandsOutLibraryRepositories() throws Exception {
    try (Registry registry = Registry.builder().host("docker.io").build()) {
      assertThat(registry.host()).isEqualTo("registry-1.docker.io");
      assertThat(registry.repository("alpine").name()).isEqualTo("library/alpine");
      assertThat(registry.repository("bitnami/redis").name()).isEqualTo("bitnami/redis");
    }
  }

  @Test
  void credentialsOfDockerHubStayUnderDockersKey() throws Exception {
    Path config = dir.resolve("config.json");
    String auth =
        Base64.getEncoder().encodeToString("hubuser:hubpass".getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        config, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"}}}");
    DockerConfigStore store = DockerConfigStore.open(config);
    try (Repository repo =
        Repository.builder().reference("docker.io/alpine:3.20").credentials(store).build()) {
      assertThat(store.credential(repo.registry()).username()).isEqualTo("hubuser");
    }
    store.store(
        "docker.io", dev.stevedore.content.remote.credentials.Credential.basic("other", "pw"));
    assertThat(Files.readString(config))
        .contains("\"https://index.docker.io/v1/\"")
        .doesNotContain("registry-1");
  }
}
