package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Index;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.server.EmbeddedRegistryExtension;
import dev.stevedore.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The referrers API path against Stevedore's registry server, which has the distribution-spec v1.1
 * referrers endpoint (docker-registry 2.8 does not): paging by Link, the artifactType filter,
 * detection once per repository. Its access log tells which requests the client sent.
 */
@Timeout(60)
class ReferrersApiTest {
  private static final String SIGNATURE = "application/vnd.example.signature";
  private static final String SBOM = "application/vnd.example.sbom";
  private static final Queue<String> LOG = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger REPOSITORIES = new AtomicInteger();

  @RegisterExtension
  static final EmbeddedRegistryExtension REGISTRY =
      EmbeddedRegistryExtension.memory(b -> b.accessLog(LOG::add));

  private String name;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private FakeHttpServer fake;

  @BeforeEach
  void name() {
    name = "referrers/app-" + REPOSITORIES.incrementAndGet();
  }

  private Repository start(int pageSize) {
    repository =
        Repository.builder()
            .registry(REGISTRY.hostPort())
            .name(name)
            .plainHttp()
            .referrerListPageSize(pageSize)
            .build();
    return repository;
  }

  @AfterEach
  void stop() {
    if (repository != null) {
      repository.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  /** The request lines (method and URI) the server answered for this test's repository. */
  private List<String> requests(String fragment) {
    String prefix = "/v2/" + name + "/";
    return LOG.stream()
        .map(line -> line.split(" "))
        .filter(p -> p[2].startsWith(prefix) && p[2].substring(prefix.length()).contains(fragment))
        .map(p -> p[1] + " " + p[2])
        .toList();
  }

  private List<Descriptor> referrers(
      Repository repo, Descriptor subject, int count, String artifactType) throws IOException {
    List<Descriptor> pushed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pushed.add(
          Fixtures.pushReferrer(repo, subject, artifactType, Fixtures.utf8(artifactType + i)));
    }
    return pushed;
  }

  private static List<String> digests(List<Descriptor> descriptors) {
    return descriptors.stream().map(d -> d.digest().toString()).toList();
  }

  @Test
  void allPagesAreFollowedByLink() throws Exception {
    Repository repo = start(2);
    Descriptor subject = Fixtures.pushImage(repo, List.of());
    List<Descriptor> signatures = referrers(repo, subject, 5, SIGNATURE);
    List<List<Descriptor>> pages = new ArrayList<>();

    repo.referrers(subject, null, pages::add);

    assertThat(pages).hasSize(3);
    assertThat(digests(pages.stream().flatMap(List::stream).toList()))
        .containsExactlyInAnyOrderElementsOf(digests(signatures));
    assertThat(requests("referrers/").get(0)).contains("n=2");
  }

  @Test
  void theArtifactTypeFilterIsSentAndTrustedWhenApplied() throws Exception {
    Repository repo = start(0);
    Descriptor subject = Fixtures.pushImage(repo, List.of());
    referrers(repo, subject, 3, SIGNATURE);
    List<Descriptor> pushedSboms = referrers(repo, subject, 2, SBOM);

    List<Descriptor> sboms = repo.listReferrers(subject, SBOM);

    assertThat(sboms).hasSize(2).allSatisfy(d -> assertThat(d.artifactType()).isEqualTo(SBOM));
    assertThat(digests(sboms)).containsExactlyInAnyOrderElementsOf(digests(pushedSboms));
    assertThat(requests("referrers/").get(0))
        .contains("artifactType=" + RegistryClient.encode(SBOM));
  }

  /**
   * A registry that ignores the filter (it may: then it sends no OCI-Filters-Applied) needs a fake.
   */
  @Test
  void theClientFiltersWhenTheRegistryDidNot() throws Exception {
    Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8("{\"subject\":1}"));
    List<Descriptor> all = new ArrayList<>();
    for (String type : List.of(SIGNATURE, SIGNATURE, SBOM, SIGNATURE, SBOM)) {
      all.add(
          Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8(type + all.size()))
              .withArtifactType(type));
    }
    fake =
        new FakeHttpServer(
            (HttpExchange exchange) -> {
              if (exchange
                  .getRequestURI()
                  .getRawPath()
                  .equals("/v2/app/referrers/" + subject.digest())) {
                FakeHttpServer.respond(exchange, 200, MediaTypes.OCI_INDEX, Index.of(all).toJson());
              } else {
                FakeHttpServer.respond(
                    exchange,
                    404,
                    "application/json",
                    Fixtures.utf8(
                        "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"not in the fake\"}]}"));
              }
            });
    repository = Repository.builder().registry(fake.hostPort()).name("app").plainHttp().build();

    assertThat(repository.listReferrers(subject, SBOM))
        .hasSize(2)
        .allSatisfy(d -> assertThat(d.artifactType()).isEqualTo(SBOM));
  }

  @Test
  void supportIsDetectedOnceAndNoTagSchemaIndexIsWritten() throws Exception {
    Repository repo = start(0);
    Descriptor subject = Fixtures.pushImage(repo, List.of());
    repo.listReferrers(subject, null);
    assertThat(repo.supportsReferrersApi()).isTrue();

    referrers(repo, subject, 1, SIGNATURE);
    assertThat(repo.listReferrers(subject, null)).hasSize(1);

    String referrersTag = "sha256-" + subject.digest().encoded();
    assertThat(requests(referrersTag)).isEmpty();
    assertThat(requests("referrers/")).hasSize(2);
  }

  @Test
  void anOciSubjectHeaderOnPushMarksTheApiSupported() throws Exception {
    Repository repo = start(0);
    Descriptor subject = Fixtures.pushImage(repo, List.of());
    Manifest manifest =
        new Manifest(
            2,
            MediaTypes.OCI_MANIFEST,
            SIGNATURE,
            MediaTypes.EMPTY_JSON,
            List.of(),
            subject,
            Map.of());
    byte[] json = manifest.toJson();

    repo.push(Descriptor.of(MediaTypes.OCI_MANIFEST, json), new ByteArrayInputStream(json));

    assertThat(repo.supportsReferrersApi()).isTrue();
    assertThat(requests("referrers/")).isEmpty();
    assertThat(requests("sha256-" + subject.digest().encoded())).isEmpty();
  }

  @Test
  void predecessorsAreTheReferrers() throws Exception {
    Repository repo = start(0);
    Descriptor subject = Fixtures.pushImage(repo, List.of());
    List<Descriptor> signatures = referrers(repo, subject, 3, SIGNATURE);

    assertThat(digests(repo.predecessors(subject)))
        .containsExactlyInAnyOrderElementsOf(digests(signatures));
  }
}
