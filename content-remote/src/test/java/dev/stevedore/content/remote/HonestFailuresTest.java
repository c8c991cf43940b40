package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures that say what happened, through a fault-injecting proxy in front of a real registry: a
 * stalled registry is a timeout naming the option, a login page is a web page, what a server sends
 * in headers never poses as what the client's own layers found out, warnings reach the handler,
 * extra headers reach the registry.
 */
@Timeout(120)
class HonestFailuresTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();
  private static final String NAME = "honest/app";
  private static Descriptor manifest;
  private static Descriptor layer;

  private FaultProxy proxy;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  @BeforeAll
  static void pushImage() throws Exception {
    try (Repository direct =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name(NAME)
            .plainHttp()
            .build()) {
      layer = Fixtures.pushBlob(direct, MediaTypes.OCI_LAYER, Fixtures.randomBytes(512 * 1024, 17));
      manifest = Fixtures.pushImage(direct, List.of(layer));
      direct.tag(manifest, "v1");
    }
  }

  @BeforeEach
  void start() throws Exception {
    proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port());
  }

  @AfterEach
  void stop() {
    if (repository != null) {
      repository.close();
    }
    proxy.close();
  }

  private Repository open(java.util.function.UnaryOperator<Repository.Builder> settings) {
    repository =
        settings
            .apply(Repository.builder().registry(proxy.hostPort()).name(NAME).plainHttp())
            .build();
    return repository;
  }

  @Test
  void aRegistryThatStallsIsATimeoutNamingTheOption() {
    proxy.stall(line -> line.contains("/manifests/v1"), 1);
    Repository repo =
        open(b -> b.idleTimeout(Duration.ofSeconds(1)).retryPolicy(RetryPolicy.none()));

    assertThatThrownBy(() -> repo.resolve("v1"))
        .isInstanceOfSatisfying(
            RegistryTimeoutException.class,
            e -> assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1)))
        .hasMessageContaining("sent nothing for 1 s")
        .hasMessageContaining("idleTimeout")
        .hasMessageNotContaining("reachable")
        .hasMessageNotContaining("Connection was closed");
  }

  @Test
  void aStallIsRetriedAndSaysSoWhenRetriesRunOut() {
    proxy.stall(line -> line.contains("/manifests/v1"), 2);
    Repository repo =
        open(
            b ->
                b.idleTimeout(Duration.ofMillis(500))
                    .retryPolicy(
                        RetryPolicy.defaults()
                            .withMaxAttempts(2)
                            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(10))));

    assertThatThrownBy(() -> repo.resolve("v1"))
        .isInstanceOf(RegistryTimeoutException.class)
        .hasMessageContaining("500 ms")
        .hasMessageContaining("after 2 attempts");
  }

  @Test
  void aRegistryThatStallsMidBodyIsATimeoutToo() throws Exception {
    proxy.stallDownloadAfter(64 * 1024, 1);
    Repository repo =
        open(b -> b.idleTimeout(Duration.ofSeconds(1)).retryPolicy(RetryPolicy.none()));

    assertThatThrownBy(
            () -> {
              try (InputStream in = repo.fetch(layer)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
              }
            })
        .isInstanceOf(RegistryTimeoutException.class)
        .hasMessageContaining("idleTimeout")
        .hasMessageNotContaining("reachable");
  }

  @Test
  void aRegistryThatStopsTakingAnUploadIsATimeoutToo() throws Exception {
    long size = 64L * 1024 * 1024;
    Descriptor blob =
        dev.stevedore.testing.GeneratedContent.describe("application/octet-stream", size, 23);
    proxy.stallUpload(line -> line.startsWith("PUT ") && line.contains("/blobs/uploads/"), 1);
    Repository repo =
        open(b -> b.idleTimeout(Duration.ofSeconds(1)).retryPolicy(RetryPolicy.none()));

    assertThatThrownBy(
            () -> repo.push(blob, dev.stevedore.testing.GeneratedContent.stream(size, 23)))
        .isInstanceOf(RegistryTimeoutException.class)
        .hasMessageContaining("took no byte of the upload")
        .hasMessageContaining("idleTimeout")
        .hasMessageNotContaining("reachable");
  }

  @Test
  void aLoginPageServedForAManifestIsCalledAWebPage() {
    byte[] page =
        Fixtures.utf8("<html><body><form action=/login>Please sign in</form></body></html>");
    proxy.answer(
        line -> line.contains("/manifests/v1"),
        200,
        Map.of("Content-Type", "text/html; charset=utf-8"),
        page,
        4);
    Repository repo = open(b -> b.retryPolicy(RetryPolicy.none()));

    assertThatThrownBy(() -> repo.resolve("v1"))
        .isInstanceOf(UnsupportedContentException.class)
        .hasMessageContaining("web page (text/html)")
        .hasMessageContaining("login page")
        .hasMessageNotContaining("not found");
    assertThatThrownBy(() -> repo.fetchReference("v1"))
        .isInstanceOf(UnsupportedContentException.class)
        .hasMessageContaining("text/html");
  }

  @Test
  void aLoginPageServedForAManifestByDigestIsCalledAWebPage() {
    proxy.answer(
        line -> line.contains("/manifests/"),
        200,
        Map.of("Content-Type", "text/html"),
        Fixtures.utf8("<html>sign in</html>"),
        1);
    Repository repo = open(b -> b.retryPolicy(RetryPolicy.none()));

    assertThatThrownBy(() -> repo.fetch(manifest))
        .isInstanceOf(UnsupportedContentException.class)
        .hasMessageContaining("text/html");
  }

  @Test
  void headersOfTheServerNeverPoseAsWhatTheAuthLayerFoundOut() {
    // The client's layers once passed their findings in X-Stevedore-* headers: a server could fake
    // them.
    proxy.answer(
        line -> line.contains("/manifests/v1"),
        401,
        Map.of("X-Stevedore-Auth-Outcome", "denied:repository:honest/app:push"),
        1);
    Repository repo = open(b -> b.retryPolicy(RetryPolicy.none()));

    assertThatThrownBy(() -> repo.resolve("v1"))
        .isInstanceOfSatisfying(
            AuthenticationException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(AuthenticationException.Reason.CREDENTIALS_REQUIRED))
        .hasMessageNotContaining("denied");
  }

  @Test
  void headersOfTheServerNeverPoseAsTheRetryCount() {
    proxy.answer(
        line -> line.contains("/manifests/v1"), 404, Map.of("X-Stevedore-Attempts", "9"), 1);
    Repository repo = open(b -> b.retryPolicy(RetryPolicy.none()));

    assertThatThrownBy(() -> repo.resolve("v1")).hasMessageNotContaining("9 attempts");
  }

  @Test
  void theRetryCountOfAFinalFailureIsReported() {
    proxy.answer(line -> line.contains("/manifests/v1"), 503, Map.of(), 3);
    Repository repo =
        open(
            b ->
                b.retryPolicy(
                    RetryPolicy.defaults()
                        .withMaxAttempts(3)
                        .withBackoff(Duration.ofMillis(5), Duration.ofMillis(5))));

    assertThatThrownBy(() -> repo.resolve("v1"))
        .isInstanceOfSatisfying(
            RegistryResponseException.class, e -> assertThat(e.statusCode()).isEqualTo(503))
        .hasMessageContaining("after 3 attempts");
  }

  @Test
  void warningsOfCode299ReachTheHandler() throws Exception {
    proxy.answer(
        line -> line.startsWith("GET /v2/ "),
        200,
        Map.of("Warning", "299 - \"this registry is deprecated; move to registry-b\""),
        1);
    proxy.answer(
        line -> line.startsWith("GET /v2/ "), 200, Map.of("Warning", "199 - \"miscellaneous\""), 1);
    List<RegistryWarning> warnings = new CopyOnWriteArrayList<>();
    try (Registry registry =
        Registry.builder()
            .host(proxy.hostPort())
            .plainHttp()
            .warningHandler(warnings::add)
            .build()) {
      registry.ping();
      registry.ping();
    }

    assertThat(warnings)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.text()).isEqualTo("this registry is deprecated; move to registry-b");
              assertThat(w.agent()).isEqualTo("-");
              assertThat(w.method()).isEqualTo("GET");
              assertThat(w.url().getPath()).isEqualTo("/v2/");
            });
  }

  @Test
  void aWarningHandlerThatThrowsDoesNotFailTheRequest() throws Exception {
    proxy.answer(
        line -> line.startsWith("GET /v2/ "), 200, Map.of("Warning", "299 - \"deprecated\""), 1);
    try (Registry registry =
        Registry.builder()
            .host(proxy.hostPort())
            .plainHttp()
            .warningHandler(
                w -> {
                  throw new IllegalStateException("handler bug");
                })
            .build()) {
      registry.ping();
    }
    assertThat(proxy.injected()).isEqualTo(1);
  }

  @Test
  void extraHeadersReachTheRegistryWithEveryRequest() throws Exception {
    Repository repo =
        open(b -> b.header("X-Request-Source", "nightly-mirror").header("Accept", "text/plain"));

    assertThat(repo.resolve("v1").digest()).isEqualTo(manifest.digest());
    assertThat(StorageContractSupport.readAll(repo, layer)).hasSize(512 * 1024);

    assertThat(proxy.requestHeads())
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            head ->
                assertThat(head).containsIgnoringCase("\r\nX-Request-Source: nightly-mirror\r\n"));
    // the operation's own Accept wins over the extra one
    assertThat(proxy.requestHeads())
        .filteredOn(h -> h.contains("/manifests/v1"))
        .allSatisfy(
            head ->
                assertThat(head).contains(MediaTypes.OCI_MANIFEST).doesNotContain("text/plain"));
  }

  @Test
  void tagListingsStopAtTheirPageLimitWithATypedError() throws Exception {
    // distribution 2.8 does not page tags: the proxy plays a registry whose tag list never ends
    proxy.answer(
        line -> line.contains("/tags/list"),
        200,
        Map.of(
            "Content-Type",
            "application/json",
            "Link",
            "</v2/" + NAME + "/tags/list?n=2&last=zz>; rel=\"next\""),
        Fixtures.utf8("{\"name\":\"" + NAME + "\",\"tags\":[\"a1\",\"a2\"]}"),
        100);
    Repository limited = open(b -> b.tagListPageSize(2).tagListMaxPages(2));
    List<List<String>> pages = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> limited.tags(null, pages::add))
        .isInstanceOfSatisfying(
            PageLimitExceededException.class, e -> assertThat(e.maxPages()).isEqualTo(2))
        .hasMessageContaining("tagListMaxPages");
    assertThat(pages).hasSize(2);
    assertThat(proxy.requestLines()).filteredOn(l -> l.contains("/tags/list")).hasSize(2);
  }

  @Test
  void referrerListingsStopAtTheirPageLimitWithATypedError() throws Exception {
    String subject = manifest.digest().toString();
    Descriptor referrer =
        Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8("{\"referrer\":1}"))
            .withArtifactType("application/vnd.example.sig");
    byte[] page = dev.stevedore.content.Index.of(List.of(referrer)).toJson();
    proxy.answer(
        line -> line.contains("/referrers/" + subject),
        200,
        Map.of(
            "Content-Type",
            MediaTypes.OCI_INDEX,
            "Link",
            "</v2/" + NAME + "/referrers/" + subject + "?next=more>; rel=\"next\""),
        page,
        100);
    Repository limited = open(b -> b.referrerListMaxPages(3));
    List<List<Descriptor>> pages = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> limited.referrers(manifest, null, pages::add))
        .isInstanceOfSatisfying(
            PageLimitExceededException.class, e -> assertThat(e.maxPages()).isEqualTo(3))
        .hasMessageContaining("referrerListMaxPages");
    assertThat(pages).hasSize(3);
    assertThat(proxy.requestLines()).filteredOn(l -> l.contains("/referrers/")).hasSize(3);
  }
}
