package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.DockerConfigStore;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic auth against a real registry configured with an htpasswd file (bcrypt, made by htpasswd
 * -B).
 */
@Timeout(60)
class BasicAuthTest {
  private static final Path DIR = TestDirs.create("basic-auth");

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder()
              .htpasswd(
                  "stevedore-test",
                  TestDirs.unchecked(
                      () ->
                          AuthFixtures.htpasswd(
                              DIR.resolve("htpasswd"), Map.of("alice", "wonderland"))))
              .build());

  @TempDir Path temp;

  private Repository repository(Credential credential) {
    String host = REGISTRY.registry().hostPort();
    return Repository.builder()
        .registry(host)
        .name("basic/repo")
        .plainHttp()
        .credentials(StaticCredentials.of(host, credential))
        .build();
  }

  @Test
  void pushAndPullWithBasicCredentials() throws Exception {
    try (Repository repo = repository(Credential.basic("alice", "wonderland"))) {
      Descriptor blob = Fixtures.pushBlob(repo, "application/octet-stream", Fixtures.utf8("basic"));
      assertThat(repo.exists(blob)).isTrue();
      Descriptor manifest = Fixtures.pushImage(repo, java.util.List.of(blob));
      repo.tag(manifest, "v1");
      assertThat(repo.resolve("v1").digest()).isEqualTo(manifest.digest());
    }
  }

  @Test
  void aWrongPasswordIsRejectedWithAMessageNamingTheRegistry() throws Exception {
    try (Repository repo = repository(Credential.basic("alice", "not-the-password"))) {
      assertThatThrownBy(() -> repo.resolve("v1"))
          .isInstanceOfSatisfying(
              AuthenticationException.class,
              e -> {
                assertThat(e.reason())
                    .isEqualTo(AuthenticationException.Reason.CREDENTIALS_REJECTED);
                assertThat(e.registry()).isEqualTo(REGISTRY.registry().hostPort());
                assertThat(e.statusCode()).isEqualTo(401);
              })
          .hasMessageContaining(REGISTRY.registry().hostPort())
          .hasMessageContaining("rejected the credentials")
          .hasMessageNotContaining("not-the-password");
    }
  }

  @Test
  void withoutCredentialsTheErrorSaysToLogIn() throws Exception {
    try (Repository repo = repository(Credential.EMPTY)) {
      assertThatThrownBy(() -> repo.resolve("v1"))
          .isInstanceOfSatisfying(
              AuthenticationException.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(AuthenticationException.Reason.CREDENTIALS_REQUIRED))
          .hasMessageContaining("requires authentication")
          .hasMessageContaining("login");
    }
  }

  @Test
  void credentialsComeFromADockerConfig() throws Exception {
    String host = REGISTRY.registry().hostPort();
    Path config = temp.resolve("config.json");
    Files.writeString(
        config,
        "{\"auths\":{\""
            + host
            + "\":{\"auth\":\""
            + Base64.getEncoder()
                .encodeToString("alice:wonderland".getBytes(StandardCharsets.UTF_8))
            + "\"}}}");
    try (Repository repo =
        Repository.builder()
            .registry(host)
            .name("basic/config")
            .plainHttp()
            .credentials(DockerConfigStore.open(config))
            .build()) {
      Descriptor blob =
          Fixtures.pushBlob(repo, "application/octet-stream", Fixtures.utf8("from docker config"));
      assertThat(repo.exists(blob)).isTrue();
    }
  }
}
