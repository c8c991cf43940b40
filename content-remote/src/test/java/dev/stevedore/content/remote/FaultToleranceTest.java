package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digester;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.GeneratedContent;
import dev.stevedore.testing.RegistryExtension;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries, resumed downloads and resumed uploads through a fault-injecting proxy in front of the
 * real registry: connections reset mid-transfer, 503 and 429 answers with Retry-After.
 */
@Timeout(120)
class FaultToleranceTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();
  private static final long BIG = 256L * 1024 * 1024;
  private static final RetryPolicy FAST =
      RetryPolicy.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));

  private FaultProxy proxy;
  private Repository direct;

  @BeforeEach
  void start() throws Exception {
    proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port());
    direct =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("faults/blobs")
            .plainHttp()
            .build();
  }

  @AfterEach
  void stop() {
    direct.close();
    proxy.close();
  }

  private Repository throughProxy(RetryPolicy policy) {
    return Repository.builder()
        .registry(proxy.hostPort())
        .name("faults/blobs")
        .plainHttp()
        .retryPolicy(policy)
        .chunkedUploads(32L * 1024 * 1024, 16 * 1024 * 1024)
        .build();
  }

  private static Descriptor digestOf(InputStream in, long size) throws Exception {
    Digester digester = Digester.sha256();
    byte[] buffer = new byte[256 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      digester.update(buffer, 0, n);
      total += n;
    }
    assertThat(total).isEqualTo(size);
    return Descriptor.of("application/octet-stream", digester.digest(), total);
  }

  @Test
  void aLargeBlobPullSurvivesResetConnections() throws Exception {
    Descriptor blob = GeneratedContent.describe("application/octet-stream", BIG, 1);
    direct.push(blob, GeneratedContent.stream(BIG, 1));
    proxy.resetDownloadAfter(40L * 1024 * 1024, 2);
    try (Repository repo = throughProxy(FAST);
        InputStream in = repo.fetch(blob)) {
      assertThat(digestOf(in, BIG).digest()).isEqualTo(blob.digest());
    }
    assertThat(proxy.injected()).isEqualTo(2);
    assertThat(proxy.requestLines()).filteredOn(l -> l.startsWith("GET")).hasSize(3);
  }

  @Test
  void aLargeBlobPushResumesWhenConnectionsResetBetweenChunks() throws Exception {
    Descriptor blob = GeneratedContent.describe("application/octet-stream", BIG, 2);
    // The 2nd and 5th PATCH find their connection reset: the client asks the session's status and
    // resends
    // the chunk it holds from the registry's offset, instead of restarting the blob.
    int[] patches = {0};
    proxy.resetRequests(
        line -> line.startsWith("PATCH ") && (++patches[0] == 2 || patches[0] == 5), 2);
    try (Repository repo = throughProxy(FAST)) {
      repo.push(blob, GeneratedContent.stream(BIG, 2));
    }
    assertThat(proxy.injected()).isEqualTo(2);
    try (InputStream in = direct.fetch(blob)) {
      assertThat(digestOf(in, BIG).digest()).isEqualTo(blob.digest());
    }
  }

  @Test
  void anUploadBrokenMidChunkOnDistributionSaysItCannotResume() throws Exception {
    Descriptor blob = GeneratedContent.describe("application/octet-stream", 64L * 1024 * 1024, 4);
    proxy.resetUploadAfter(40L * 1024 * 1024, 1);
    try (Repository repo = throughProxy(FAST)) {
      assertThatThrownBy(() -> repo.push(blob, GeneratedContent.stream(64L * 1024 * 1024, 4)))
          .isInstanceOf(ContentException.class)
          .hasMessageContaining("discarded the upload session")
          .hasMessageContaining("push the blob again");
    }
    assertThat(direct.exists(blob)).isFalse();
  }

  @Test
  void serviceUnavailableWithRetryAfterIsRetried() throws Exception {
    Descriptor blob = Fixtures.pushBlob(direct, "application/octet-stream", Fixtures.utf8("503"));
    proxy.answer(line -> line.startsWith("HEAD "), 503, Map.of("Retry-After", "0"), 2);
    try (Repository repo = throughProxy(FAST)) {
      assertThat(repo.exists(blob)).isTrue();
    }
    assertThat(proxy.injected()).isEqualTo(2);
    assertThat(proxy.requests()).isEqualTo(3);
  }

  @Test
  void tooManyRequestsHonoursRetryAfter() throws Exception {
    Descriptor manifest = Fixtures.pushImage(direct, List.of());
    direct.tag(manifest, "rate-limited");
    proxy.answer(
        line -> line.contains("/manifests/rate-limited"), 429, Map.of("Retry-After", "1"), 1);
    long started = System.nanoTime();
    try (Repository repo = throughProxy(FAST)) {
      assertThat(repo.resolve("rate-limited").digest()).isEqualTo(manifest.digest());
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void whenRetriesRunOutTheErrorSaysHowManyAttempts() throws Exception {
    Descriptor blob =
        Fixtures.pushBlob(direct, "application/octet-stream", Fixtures.utf8("exhausted"));
    proxy.answer(line -> line.startsWith("HEAD "), 503, Map.of(), 100);
    try (Repository repo = throughProxy(FAST.withMaxAttempts(3))) {
      assertThatThrownBy(() -> repo.exists(blob))
          .isInstanceOf(RegistryResponseException.class)
          .hasMessageContaining("503")
          .hasMessageContaining("after 3 attempts");
    }
    assertThat(proxy.requests()).isEqualTo(3);
  }

  @Test
  void aPullThatCannotCompleteLeavesNothingInTheDestination() throws Exception {
    byte[] content = Fixtures.randomBytes(8 * 1024 * 1024, 3);
    Descriptor blob = Fixtures.pushBlob(direct, "application/octet-stream", content);
    proxy.resetDownloadAfter(1024 * 1024, 100);
    MemoryStore destination = new MemoryStore();
    try (Repository repo = throughProxy(FAST.withMaxAttempts(3))) {
      assertThatThrownBy(
              () -> {
                try (InputStream in = repo.fetch(blob)) {
                  destination.push(blob, in);
                }
              })
          .isInstanceOf(ContentException.class)
          .hasMessageContaining("after 3 attempts");
    }
    assertThat(destination.exists(blob)).isFalse();
  }
}
