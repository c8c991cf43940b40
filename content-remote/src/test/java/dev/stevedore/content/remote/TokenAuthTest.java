package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import dev.stevedore.testing.TokenServer;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bearer-token auth against a real registry ({@code auth.token}) and a token server of the test's
 * own that signs JWTs the registry verifies offline, grants scopes per user and counts requests.
 */
@Timeout(120)
class TokenAuthTest {
  private static final Path DIR = TestDirs.create("token-auth");
  private static final TokenServer TOKENS =
      TestDirs.unchecked(
              () -> TokenServer.start(DIR, "stevedore-registry", "stevedore-token-issuer"))
          .user(
              "alice",
              "wonderland",
              Map.of("*", Set.of("pull", "push", "delete"), "registry:catalog", Set.of("*")))
          .user("reader", "only-reads", Map.of("*", Set.of("pull")))
          .refreshToken("identity-token-of-alice", "alice");

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder()
              .tokenAuth(
                  new RegistryConfig.TokenAuth(
                      TOKENS.realm(), TOKENS.service(), TOKENS.issuer(), TOKENS.certificate()))
              .build());

  @AfterAll
  static void stopTokenServer() {
    TOKENS.close();
  }

  private Repository repository(String name, Credential credential) {
    String host = REGISTRY.registry().hostPort();
    return Repository.builder()
        .registry(host)
        .name(name)
        .plainHttp()
        .credentials(StaticCredentials.of(host, credential))
        .build();
  }

  @Test
  void pushAndPullThroughBearerTokens() throws Exception {
    try (Repository repo = repository("token/push-pull", Credential.basic("alice", "wonderland"))) {
      Descriptor blob =
          Fixtures.pushBlob(repo, "application/octet-stream", Fixtures.utf8("bearer"));
      Descriptor manifest = Fixtures.pushImage(repo, List.of(blob));
      repo.tag(manifest, "v1");
      assertThat(repo.resolve("v1").digest()).isEqualTo(manifest.digest());
    }
  }

  @Test
  void readsAskForPullOnly() throws Exception {
    Descriptor blob;
    try (Repository writer = repository("token/least", Credential.basic("alice", "wonderland"))) {
      blob =
          Fixtures.pushBlob(writer, "application/octet-stream", Fixtures.utf8("least privilege"));
    }
    int before = TOKENS.scopesRequested().size();
    try (Repository reader = repository("token/least", Credential.basic("reader", "only-reads"))) {
      assertThat(reader.exists(blob)).isTrue();
      assertThat(StorageContractSupport.readAll(reader, blob))
          .isEqualTo(Fixtures.utf8("least privilege"));
    }
    List<String> asked = TOKENS.scopesRequested().subList(before, TOKENS.scopesRequested().size());
    assertThat(asked)
        .isNotEmpty()
        .allSatisfy(scope -> assertThat(scope).isEqualTo("repository:token/least:pull"));
  }

  @Test
  void aDeniedScopeFailsClearly() throws Exception {
    try (Repository reader = repository("token/denied", Credential.basic("reader", "only-reads"))) {
      byte[] content = Fixtures.utf8("not allowed");
      assertThatThrownBy(
              () ->
                  reader.push(
                      Descriptor.of("application/octet-stream", content),
                      new ByteArrayInputStream(content)))
          .isInstanceOfSatisfying(
              AuthenticationException.class,
              e -> assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.ACCESS_DENIED))
          .hasMessageContaining("denied access")
          .hasMessageContaining("repository:token/denied:pull,push");
    }
  }

  @Test
  void aWrongPasswordIsRejectedByTheTokenServer() throws Exception {
    try (Repository repo = repository("token/wrong", Credential.basic("alice", "guess"))) {
      assertThatThrownBy(() -> repo.resolve("v1"))
          .isInstanceOfSatisfying(
              AuthenticationException.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(AuthenticationException.Reason.CREDENTIALS_REJECTED))
          .hasMessageContaining(TOKENS.realm())
          .hasMessageContaining("alice")
          .hasMessageNotContaining("guess");
    }
  }

  @Test
  void anonymousAccessToAProtectedRepositorySaysToLogIn() throws Exception {
    try (Repository repo = repository("token/anonymous", Credential.EMPTY)) {
      assertThatThrownBy(() -> repo.resolve("v1"))
          .isInstanceOfSatisfying(
              AuthenticationException.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(AuthenticationException.Reason.CREDENTIALS_REQUIRED))
          .hasMessageContaining("requires authentication");
    }
  }

  @Test
  void anIdentityTokenIsExchangedWithTheRefreshGrant() throws Exception {
    try (Repository repo =
        repository("token/identity", Credential.identityToken("identity-token-of-alice"))) {
      Descriptor blob =
          Fixtures.pushBlob(repo, "application/octet-stream", Fixtures.utf8("refresh grant"));
      assertThat(repo.exists(blob)).isTrue();
    }
  }

  @Test
  void theCatalogAsksForTheCatalogScope() throws Exception {
    String host = REGISTRY.registry().hostPort();
    try (Repository repo = repository("token/catalog", Credential.basic("alice", "wonderland"))) {
      Fixtures.pushBlob(repo, "application/octet-stream", Fixtures.utf8("catalog"));
    }
    try (Registry registry =
        Registry.builder()
            .host(host)
            .plainHttp()
            .credentials(StaticCredentials.of(host, Credential.basic("alice", "wonderland")))
            .build()) {
      assertThat(registry.listRepositories()).contains("token/catalog");
    }
    assertThat(TOKENS.scopesRequested()).contains("registry:catalog:*");
  }

  @Test
  void fiftyConcurrentBlobPushesCostAHandfulOfTokenRequests() throws Exception {
    try (Repository repo =
        repository("token/concurrent", Credential.basic("alice", "wonderland"))) {
      int before = TOKENS.requests();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Descriptor>> pushes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          byte[] content = Fixtures.randomBytes(4096, 500 + i);
          pushes.add(
              pool.submit(() -> Fixtures.pushBlob(repo, "application/octet-stream", content)));
        }
        for (Future<Descriptor> push : pushes) {
          assertThat(repo.exists(push.get())).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(TOKENS.requests() - before).isBetween(1, 3);
    }
  }
}
