package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Index;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The referrers API path against an HTTP-level fake that follows the distribution-spec v1.1
 * referrers endpoint (no available real registry has it): paging by Link, the artifactType
 * filter, detection once per repository.
 */
@Timeout(30)
class ReferrersApiTest {
  private static final String NAME = "app";
  private static final String SIGNATURE = "application/vnd.example.signature";
  private static final String SBOM = "application/vnd.example.sbom";

  private final Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8("{\"subject\":1}"));
  private final List<Descriptor> referrers = new ArrayList<>();
  private boolean serverFilters = true;
  private FakeHttpServer server;
  private Repository repository;

  /** A registry with the referrers API: pages of 2 (or n), the filter applied when serverFilters. */
  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String prefix = "/v2/" + NAME + "/referrers/";
    if (path.startsWith(prefix) && "GET".equals(exchange.getRequestMethod())) {
      Map<String, String> query = FakeHttpServer.query(exchange);
      String artifactType = query.get("artifactType");
      List<Descriptor> all = path.substring(prefix.length()).equals(subject.digest().toString())
          ? referrers : List.of();
      if (artifactType != null && serverFilters) {
        all = all.stream().filter(d -> artifactType.equals(d.artifactType())).toList();
        exchange.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
      }
      int size = Integer.parseInt(query.getOrDefault("n", "2"));
      int from = Integer.parseInt(query.getOrDefault("page", "0"));
      int to = Math.min(all.size(), from + size);
      if (to < all.size()) {
        String next = path + "?n=" + size + "&page=" + to
            + (artifactType == null ? "" : "&artifactType=" + RegistryClient.encode(artifactType));
        exchange.getResponseHeaders().set("Link", "<" + next + ">; rel=\"next\"");
      }
      FakeHttpServer.respond(exchange, 200, MediaTypes.OCI_INDEX, Index.of(all.subList(from, to)).toJson());
      return;
    }
    if (path.startsWith("/v2/" + NAME + "/manifests/") && "PUT".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("OCI-Subject", subject.digest().toString());
      exchange.getResponseHeaders().set("Docker-Content-Digest", path.substring(path.lastIndexOf('/') + 1));
      FakeHttpServer.respond(exchange, 201, null, new byte[0]);
      return;
    }
    FakeHttpServer.respond(exchange, 404, "application/json",
        Fixtures.utf8("{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"not in the fake\"}]}"));
  }

  private Repository start(int pageSize) throws IOException {
    server = new FakeHttpServer(this::handle);
    repository = Repository.builder().registry(server.hostPort()).name(NAME).plainHttp()
        .referrerListPageSize(pageSize).build();
    return repository;
  }

  @AfterEach
  void stop() {
    if (repository != null) {
      repository.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void referrers(int count, String artifactType) {
    for (int i = 0; i < count; i++) {
      referrers.add(Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8(artifactType + i))
          .withArtifactType(artifactType));
    }
  }

  @Test
  void allPagesAreFollowedByLink() throws Exception {
    referrers(5, SIGNATURE);
    Repository repo = start(2);
    List<List<Descriptor>> pages = new ArrayList<>();

    repo.referrers(subject, null, pages::add);

    assertThat(pages).hasSize(3);
    assertThat(pages.stream().flatMap(List::stream).map(Descriptor::digest))
        .containsExactlyElementsOf(referrers.stream().map(Descriptor::digest).toList());
    assertThat(server.requestsTo("/v2/app/referrers/").get(0).pathAndQuery()).contains("n=2");
  }

  @Test
  void theArtifactTypeFilterIsSentAndTrustedWhenApplied() throws Exception {
    referrers(3, SIGNATURE);
    referrers(2, SBOM);
    Repository repo = start(0);

    List<Descriptor> sboms = repo.listReferrers(subject, SBOM);

    assertThat(sboms).hasSize(2).allSatisfy(d -> assertThat(d.artifactType()).isEqualTo(SBOM));
    assertThat(server.requestsTo("/v2/app/referrers/").get(0).pathAndQuery())
        .contains("artifactType=" + RegistryClient.encode(SBOM));
  }

  @Test
  void theClientFiltersWhenTheRegistryDidNot() throws Exception {
    referrers(3, SIGNATURE);
    referrers(2, SBOM);
    serverFilters = false;
    Repository repo = start(0);

    assertThat(repo.listReferrers(subject, SBOM)).hasSize(2)
        .allSatisfy(d -> assertThat(d.artifactType()).isEqualTo(SBOM));
  }

  @Test
  void supportIsDetectedOnceAndNoTagSchemaIndexIsWritten() throws Exception {
    referrers(1, SIGNATURE);
    Repository repo = start(0);
    repo.listReferrers(subject, null);
    assertThat(repo.supportsReferrersApi()).isTrue();

    Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST, SIGNATURE, MediaTypes.EMPTY_JSON, List.of(),
        subject, Map.of());
    byte[] json = manifest.toJson();
    repo.push(Descriptor.of(MediaTypes.OCI_MANIFEST, json), new ByteArrayInputStream(json));

    String referrersTag = "sha256-" + subject.digest().encoded();
    assertThat(server.requests).noneMatch(r -> r.pathAndQuery().contains(referrersTag));
    assertThat(server.requestsTo("/v2/app/referrers/" + new Digest("sha256", "0".repeat(64)))).isEmpty();
  }

  @Test
  void anOciSubjectHeaderOnPushMarksTheApiSupported() throws Exception {
    Repository repo = start(0);
    Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST, SIGNATURE, MediaTypes.EMPTY_JSON, List.of(),
        subject, Map.of());
    byte[] json = manifest.toJson();

    repo.push(Descriptor.of(MediaTypes.OCI_MANIFEST, json), new ByteArrayInputStream(json));

    assertThat(repo.supportsReferrersApi()).isTrue();
    assertThat(server.requests).extracting(FakeHttpServer.Recorded::method).containsExactly("PUT");
  }

  @Test
  void predecessorsAreTheReferrers() throws Exception {
    referrers(3, SIGNATURE);
    Repository repo = start(0);

    assertThat(repo.predecessors(subject)).extracting(Descriptor::digest)
        .containsExactlyElementsOf(referrers.stream().map(Descriptor::digest).toList());
  }
}
