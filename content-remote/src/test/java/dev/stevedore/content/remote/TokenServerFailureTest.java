package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import dev.stevedore.testing.TokenServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token server that refuses (403) or fails (503) is reported with its real status, and a failed
 * token fetch is reported once, to the caller: nothing logs its stack trace on the way.
 */
@Timeout(120)
class TokenServerFailureTest {
  private static final Path DIR = TestDirs.create("token-failures");
  private static final TokenServer TOKENS =
      TestDirs.unchecked(
              () -> TokenServer.start(DIR, "stevedore-registry", "stevedore-token-issuer"))
          .user("alice", "wonderland", Map.of("*", Set.of("pull", "push")));

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder()
              .tokenAuth(
                  new RegistryConfig.TokenAuth(
                      TOKENS.realm(), TOKENS.service(), TOKENS.issuer(), TOKENS.certificate()))
              .build());

  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLogs() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void releaseLogs() {
    Logger.getLogger("").removeHandler(capture);
  }

  @AfterAll
  static void stopTokenServer() {
    TOKENS.close();
  }

  private Repository repository(String name, RetryPolicy retries) {
    String host = REGISTRY.registry().hostPort();
    return Repository.builder()
        .registry(host)
        .name(name)
        .plainHttp()
        .retryPolicy(retries)
        .credentials(StaticCredentials.of(host, Credential.basic("alice", "wonderland")))
        .build();
  }

  @Test
  void aTokenServerThatRefusesIsReportedWith403() throws Exception {
    TOKENS.failNext(403, 1);
    try (Repository repo = repository("failures/refused", RetryPolicy.none())) {
      assertThatThrownBy(() -> repo.resolve("v1"))
          .isInstanceOfSatisfying(
              AuthenticationException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.url().toString()).startsWith(TOKENS.realm());
                assertThat(e.registry()).isEqualTo(REGISTRY.registry().hostPort());
              })
          .hasMessageContaining("HTTP 403")
          .hasMessageNotContaining("wonderland");
    }
  }

  @Test
  void aTokenServerThatIsDownIsReportedWith503AndNotAsBadCredentials() throws Exception {
    TOKENS.failNext(503, 1);
    try (Repository repo = repository("failures/down", RetryPolicy.none())) {
      assertThatThrownBy(() -> repo.resolve("v1"))
          .isInstanceOfSatisfying(
              RegistryResponseException.class,
              e -> {
                assertThat(e).isNotInstanceOf(AuthenticationException.class);
                assertThat(e.statusCode()).isEqualTo(503);
                assertThat(e.errorCodes()).containsExactly("INJECTED");
              })
          .hasMessageContaining("HTTP 503")
          .hasMessageContaining("retry later")
          .hasMessageNotContaining("rejected the credentials");
    }
  }

  @Test
  void aTokenServerThatFailsOnceIsRetried() throws Exception {
    TOKENS.failNext(503, 1);
    try (Repository repo =
        repository(
            "failures/retried",
            RetryPolicy.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(20)))) {
      dev.stevedore.content.Descriptor blob =
          dev.stevedore.testing.Fixtures.pushBlob(
              repo,
              "application/octet-stream",
              dev.stevedore.testing.Fixtures.utf8("after a failed token fetch"));
      assertThat(repo.exists(blob)).isTrue();
    }
  }

  @Test
  void aFailedTokenFetchLogsNoStackTrace() throws Exception {
    TOKENS.failNext(503, 1);
    try (Repository repo = repository("failures/quiet", RetryPolicy.none())) {
      assertThatThrownBy(() -> repo.resolve("v1")).isInstanceOf(RegistryResponseException.class);
    }
    assertThat(logged)
        .filteredOn(r -> r.getThrown() != null)
        .as(
            "log records with a stack trace: %s",
            logged.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList())
        .isEmpty();
  }
}
