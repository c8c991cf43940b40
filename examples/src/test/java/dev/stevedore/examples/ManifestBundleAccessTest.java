package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.examples.ManifestBundleException.Problem;
import dev.stevedore.examples.ManifestBundlePublisher.GitOpsEngine;
import dev.stevedore.examples.ManifestBundlePublisher.Options;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import dev.stevedore.testing.TokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Permission checks need a registry that grants per user: token auth with a token server. */
@Timeout(60)
class ManifestBundleAccessTest {
  private static final Path DIR = TestDirs.create("manifest-access");
  private static final TokenServer TOKENS =
      TestDirs.unchecked(() -> TokenServer.start(DIR, "examples-registry", "examples-issuer"))
          .user("deployer", "s3cret", Map.of("*", Set.of("pull", "push")))
          .user("viewer", "look", Map.of("*", Set.of("pull")));

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder()
              .tokenAuth(
                  new RegistryConfig.TokenAuth(
                      TOKENS.realm(), TOKENS.service(), TOKENS.issuer(), TOKENS.certificate()))
              .build());

  @TempDir Path temp;

  @AfterAll
  static void stopTokenServer() {
    TOKENS.close();
  }

  private Options options(String user, String password) throws Exception {
    Path source = Files.createDirectories(temp.resolve("k8s"));
    Files.writeString(source.resolve("pod.yaml"), "kind: Pod\n");
    return new Options(
        source,
        null,
        REGISTRY.registry().hostPort(),
        "team/app",
        "1.0.0",
        GitOpsEngine.FLUX,
        user,
        password,
        RegistryConnection.Transport.PLAIN_HTTP,
        null);
  }

  @Test
  void aUserWithoutPushPermissionIsToldSo() throws Exception {
    Options options = options("viewer", "look");
    assertThatThrownBy(() -> ManifestBundlePublisher.push(options))
        .isInstanceOfSatisfying(
            ManifestBundleException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.PERMISSION_DENIED))
        .hasMessageStartingWith(
            "registry access denied\n  - check credentials have write permission to the repository")
        .hasMessageContaining("may not push to " + REGISTRY.registry().hostPort() + "/team/app");
  }

  @Test
  void aUserWithPushPermissionPushes() throws Exception {
    ManifestBundlePublisher.Pushed pushed =
        ManifestBundlePublisher.push(options("deployer", "s3cret"));
    assertThat(pushed.files()).containsExactly("pod.yaml");
  }

  @Test
  void aWrongPasswordAtTheTokenServerIsRejected() throws Exception {
    Options options = options("deployer", "guess");
    assertThatThrownBy(() -> ManifestBundlePublisher.push(options))
        .isInstanceOfSatisfying(
            ManifestBundleException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.PERMISSION_DENIED));
  }
}
