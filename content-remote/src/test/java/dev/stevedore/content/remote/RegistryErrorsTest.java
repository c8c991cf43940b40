package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the registry's refusals reach callers, against a real registry. */
@Timeout(60)
class RegistryErrorsTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private @Nullable Repository repository;

  private Repository open(String name) {
    repository =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name(name)
            .plainHttp()
            .build();
    return repository;
  }

  @AfterEach
  void close() {
    if (repository != null) {
      repository.close();
    }
  }

  @Test
  void aMissingBlobIsNotFoundCarryingTheRegistryErrorCode() {
    Repository repo = open("errors/missing-blob");
    Descriptor missing = Descriptor.of("application/octet-stream", Fixtures.utf8("nope"));
    assertThatThrownBy(() -> repo.fetch(missing))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(missing.digest().toString())
        .satisfies(
            e -> {
              RegistryResponseException cause =
                  ContentException.find(e, RegistryResponseException.class).orElseThrow();
              assertThat(cause.statusCode()).isEqualTo(404);
              assertThat(cause.method()).isEqualTo("GET");
              assertThat(cause.url().getPath()).endsWith("/blobs/" + missing.digest());
              assertThat(cause.errorCodes()).containsExactly("BLOB_UNKNOWN");
            });
  }

  @Test
  void aManifestPushNamingAMissingBlobExposesManifestBlobUnknown() throws Exception {
    Repository repo = open("errors/missing-layer");
    Descriptor config = Fixtures.push(repo, MediaTypes.EMPTY_JSON, MediaTypes.emptyJsonBytes());
    Descriptor neverPushed = Descriptor.of(MediaTypes.OCI_LAYER, Fixtures.utf8("never pushed"));
    // A NotFoundException (what the copy engine's self-heal looks for) whose cause carries the
    // registry's answer.
    assertThatThrownBy(
            () -> Fixtures.pushManifest(repo, null, config, List.of(neverPushed), null, Map.of()))
        .isInstanceOf(dev.stevedore.content.NotFoundException.class)
        .extracting(Throwable::getCause)
        .isInstanceOfSatisfying(
            RegistryResponseException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.method()).isEqualTo("PUT");
              assertThat(e.errorCodes()).contains("MANIFEST_BLOB_UNKNOWN");
              assertThat(e.getMessage()).contains("MANIFEST_BLOB_UNKNOWN");
            });
  }

  @Test
  void aMissingManifestIsNotFound() {
    Repository repo = open("errors/missing-manifest");
    Descriptor missing = Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8("{}"));
    assertThatThrownBy(() -> repo.fetch(missing))
        .isInstanceOf(NotFoundException.class)
        .satisfies(
            e ->
                assertThat(
                        ContentException.find(e, RegistryResponseException.class)
                            .orElseThrow()
                            .errorCodes())
                    .containsExactly("MANIFEST_UNKNOWN"));
  }

  @Test
  void aManifestLargerThanTheMetadataLimitIsRefusedBeforeItIsRead() throws Exception {
    Repository repo = open("errors/limit");
    Descriptor layer = Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER, Fixtures.utf8("layer"));
    Descriptor manifest = Fixtures.pushImage(repo, List.of(layer));
    repo.tag(manifest, "big");
    repo.close();
    Repository small =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("errors/limit")
            .plainHttp()
            .maxMetadataBytes(manifest.size() - 1)
            .build();
    repository = small;
    assertThatThrownBy(() -> small.fetch(manifest))
        .isInstanceOf(SizeLimitExceededException.class)
        .hasMessageContaining("metadata limit");
    assertThatThrownBy(() -> small.fetchReference("big"))
        .isInstanceOf(SizeLimitExceededException.class);
  }

  @Test
  void anErrorBodyThatIsNotJsonIsQuotedInTheMessage() throws Exception {
    // distribution answers unknown routes with "404 page not found" as text/plain
    RegistryOptions options = RegistryOptions.builder().plainHttp().build();
    try (RegistryClient client =
        new RegistryClient(
            REGISTRY.registry().hostPort(), options, java.util.function.UnaryOperator.identity())) {
      assertThatThrownBy(
              () -> Paging.get(client, client.uri("/v2/errors/no-such-route"), Map.of(), "probing"))
          .isInstanceOfSatisfying(
              RegistryResponseException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(404);
                assertThat(e.errors()).isEmpty();
                assertThat(e.getMessage())
                    .contains("GET http://")
                    .contains("\"404 page not found\"");
              });
    }
  }

  @Test
  void distributionHasNoReferrersApi() throws Exception {
    Repository repo = open("errors/referrers-api");
    Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER, Fixtures.utf8("make the repository exist"));
    assertThat(repo.supportsReferrersApi()).isFalse();
  }

  @Test
  void aBlockingCallOnTheEventLoopFailsFast() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      Repository repo =
          Repository.builder()
              .registry(REGISTRY.registry().hostPort())
              .name("errors/event-loop")
              .plainHttp()
              .vertx(vertx)
              .build();
      repository = repo;
      java.util.concurrent.CompletableFuture<Throwable> thrown =
          new java.util.concurrent.CompletableFuture<>();
      vertx.runOnContext(
          v -> {
            try {
              repo.exists(MediaTypes.EMPTY_JSON);
              thrown.complete(null);
            } catch (Throwable t) {
              thrown.complete(t);
            }
          });
      assertThat(thrown.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event-loop");
    } finally {
      Repository opened = repository;
      repository = null;
      if (opened != null) {
        opened.close();
      }
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void anInterruptedCallThrowsInterruptedIoAndKeepsTheFlag() {
    Repository repo = open("errors/interrupt");
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> repo.exists(MediaTypes.EMPTY_JSON))
          .isInstanceOf(java.io.InterruptedIOException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anUnreachableRegistryIsAContentExceptionThatSaysSo() throws Exception {
    int freePort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      freePort = socket.getLocalPort();
    }
    Repository repo = open("errors/unreachable");
    repo.close();
    repository =
        Repository.builder()
            .registry("127.0.0.1:" + freePort)
            .name("errors/unreachable")
            .plainHttp()
            .build();
    Repository closed = repository;
    assertThatThrownBy(() -> closed.exists(MediaTypes.EMPTY_JSON))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("reachable");
  }

  @Test
  void aRegistryThatGoesSilentFailsTheCallAfterTheIdleTimeout() throws Exception {
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      repository =
          Repository.builder()
              .registry("127.0.0.1:" + silent.getLocalPort())
              .name("errors/silent")
              .plainHttp()
              .idleTimeout(java.time.Duration.ofSeconds(1))
              .build();
      Repository repo = repository;
      long start = System.nanoTime();
      assertThatThrownBy(() -> repo.exists(MediaTypes.EMPTY_JSON))
          .isInstanceOf(ContentException.class);
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(java.time.Duration.ofSeconds(20));
    }
  }

  @Test
  void pushingAManifestWhoseBytesDoNotMatchIsRefusedBeforeUpload() throws Exception {
    Repository repo = open("errors/manifest-mismatch");
    byte[] real = Fixtures.utf8("{\"schemaVersion\":2}");
    Descriptor desc = Descriptor.of(MediaTypes.OCI_MANIFEST, real);
    assertThatThrownBy(
            () -> repo.push(desc, new ByteArrayInputStream(Fixtures.utf8("{\"schemaVersion\":3}"))))
        .isInstanceOf(dev.stevedore.content.DigestMismatchException.class);
  }
}
