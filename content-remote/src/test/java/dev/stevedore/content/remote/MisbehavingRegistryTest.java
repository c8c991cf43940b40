package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real registry whose answers a layer of the HTTP seam rewrites (fault injection): no
 * Docker-Content-Digest on HEAD, or a lying one.
 */
@Timeout(60)
class MisbehavingRegistryTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();
  private static final Digest LIE = Digest.sha256(Fixtures.utf8("not the manifest"));
  private static Descriptor manifest;
  private final List<HttpRequest> sent = new CopyOnWriteArrayList<>();

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  @BeforeAll
  static void pushImage() throws Exception {
    try (Repository repo =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("misbehaving/app")
            .plainHttp()
            .build()) {
      Descriptor layer = Fixtures.pushBlob(repo, MediaTypes.OCI_LAYER, Fixtures.utf8("layer"));
      manifest = Fixtures.pushImage(repo, List.of(layer));
      repo.tag(manifest, "v1");
    }
  }

  @AfterEach
  void close() {
    repository.close();
  }

  private Repository open(HttpMethod method, String header, @Nullable String value) {
    return open(method, "/manifests/", header, value);
  }

  private Repository open(
      HttpMethod method, String pathPart, String header, @Nullable String value) {
    UnaryOperator<HttpTransport> rewrite =
        base ->
            request -> {
              sent.add(request);
              return base.send(request)
                  .map(
                      r ->
                          method.equals(r.request().method())
                                  && r.request().uri().getPath().contains(pathPart)
                              ? r.withHeader(header, value)
                              : r);
            };
    repository =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("misbehaving/app")
            .plainHttp()
            .transportLayers(rewrite)
            .build();
    return repository;
  }

  @Test
  void resolveFallsBackToGetWhenHeadGivesNoDigest() throws Exception {
    Repository repo = open(HttpMethod.HEAD, "Docker-Content-Digest", null);

    Descriptor resolved = repo.resolve("v1");

    assertThat(resolved.digest()).isEqualTo(manifest.digest());
    assertThat(resolved.size()).isEqualTo(manifest.size());
    assertThat(sent)
        .extracting(HttpRequest::method)
        .containsExactly(HttpMethod.HEAD, HttpMethod.GET);
  }

  @Test
  void aLyingDigestHeaderOnResolveIsAnError() {
    Repository repo = open(HttpMethod.HEAD, "Docker-Content-Digest", LIE.toString());

    assertThatThrownBy(() -> repo.resolve(manifest.digest().toString()))
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void aLyingDigestHeaderOnFetchReferenceIsAnError() {
    Repository repo = open(HttpMethod.GET, "Docker-Content-Digest", LIE.toString());

    assertThatThrownBy(() -> repo.fetchReference("v1"))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(LIE.toString());
  }

  @Test
  void aLyingDigestHeaderOnManifestFetchIsAnError() {
    Repository repo = open(HttpMethod.GET, "Docker-Content-Digest", LIE.toString());

    assertThatThrownBy(() -> repo.fetch(manifest)).isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void aLyingDigestHeaderOnBlobFetchIsAnError() throws Exception {
    Repository repo = open(HttpMethod.GET, "/blobs/", "Docker-Content-Digest", LIE.toString());
    Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER, Fixtures.utf8("layer"));

    assertThatThrownBy(() -> repo.fetch(layer)).isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void anUploadLocationOnAnotherHostIsNotFollowed() throws Exception {
    try (java.net.ServerSocket attacker =
        new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      attacker.setSoTimeout(1);
      Repository repo =
          open(
              HttpMethod.POST,
              "/blobs/uploads/",
              "Location",
              "http://localhost:" + attacker.getLocalPort() + "/collect?_state=x");
      byte[] content = Fixtures.utf8("secret layer");
      Descriptor blob = Descriptor.of(MediaTypes.OCI_LAYER, content);

      assertThatThrownBy(() -> repo.push(blob, new java.io.ByteArrayInputStream(content)))
          .isInstanceOf(dev.stevedore.content.ContentException.class)
          .hasMessageContaining("upload Location")
          .hasMessageContaining("leaves the registry's origin");
      assertThat(sent).extracting(HttpRequest::method).containsExactly(HttpMethod.POST);
      assertThatThrownBy(attacker::accept).isInstanceOf(java.net.SocketTimeoutException.class);
    }
  }

  @Test
  void aWrongContentLengthOnManifestFetchIsRefused() {
    Repository repo = open(HttpMethod.GET, "Content-Length", Long.toString(manifest.size() + 1));

    assertThatThrownBy(() -> repo.fetch(manifest))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("Content-Length");
  }
}
