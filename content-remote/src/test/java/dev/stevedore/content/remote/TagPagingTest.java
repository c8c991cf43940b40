package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.server.EmbeddedRegistryExtension;
import dev.stevedore.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tag-list paging against Stevedore's registry server, which honours {@code n} and {@code last} and
 * sends {@code Link} headers (distribution 2.8 does neither; its access log tells which requests
 * the client sent), and, against an HTTP-level fake that misbehaves, the SSRF check on Link targets
 * and bodies that are not JSON.
 */
@Timeout(30)
class TagPagingTest {
  private static final List<String> TAGS = List.of("a", "b", "c", "d", "e");
  private static final Queue<String> LOG = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger REPOSITORIES = new AtomicInteger();

  @RegisterExtension
  static final EmbeddedRegistryExtension REGISTRY =
      EmbeddedRegistryExtension.memory(b -> b.accessLog(LOG::add));

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private FakeHttpServer server;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private String name;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private FakeHttpServer elsewhere;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  private @Nullable String linkOverride;
  private byte @Nullable [] bodyOverride;

  private void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getRawPath().equals("/v2/app/tags/list")) {
      FakeHttpServer.respond(exchange, 404, "text/plain", Fixtures.utf8("404 page not found"));
      return;
    }
    byte[] body = bodyOverride;
    if (body != null) {
      FakeHttpServer.respond(exchange, 200, "text/html", body);
      return;
    }
    Map<String, String> query = FakeHttpServer.query(exchange);
    int n = Integer.parseInt(query.getOrDefault("n", "100"));
    String last = query.get("last");
    List<String> after = TAGS.stream().filter(t -> last == null || t.compareTo(last) > 0).toList();
    List<String> page = after.subList(0, Math.min(n, after.size()));
    if (page.size() < after.size()) {
      String link = linkOverride;
      String next =
          link != null ? link : "/v2/app/tags/list?n=" + n + "&last=" + page.get(page.size() - 1);
      exchange.getResponseHeaders().set("Link", "<" + next + ">; rel=\"next\"");
    }
    String json =
        "{\"name\":\"app\",\"tags\":["
            + String.join(",", page.stream().map(t -> "\"" + t + "\"").toList())
            + "]}";
    FakeHttpServer.respond(exchange, 200, "application/json", Fixtures.utf8(json));
  }

  /** A repository of the embedded registry with the tags a to e. */
  private Repository embedded(int pageSize) throws IOException {
    name = "paging/app-" + REPOSITORIES.incrementAndGet();
    repository =
        Repository.builder()
            .registry(REGISTRY.hostPort())
            .name(name)
            .plainHttp()
            .tagListPageSize(pageSize)
            .build();
    Descriptor image = Fixtures.pushImage(repository, List.of());
    for (String tag : TAGS) {
      repository.tag(image, tag);
    }
    return repository;
  }

  /**
   * The URIs of the tag-list requests the embedded registry answered for this test's repository.
   */
  private List<String> tagRequests() {
    return LOG.stream()
        .map(line -> line.split(" ", -1)[2])
        .filter(uri -> uri.startsWith("/v2/" + name + "/tags/list"))
        .toList();
  }

  private Repository start(int pageSize) throws IOException {
    server = new FakeHttpServer(this::handle);
    repository =
        Repository.builder()
            .registry(server.hostPort())
            .name("app")
            .plainHttp()
            .tagListPageSize(pageSize)
            .build();
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
    if (elsewhere != null) {
      elsewhere.close();
    }
  }

  @Test
  void pagesFollowTheLinkHeaderWithTheRequestedPageSize() throws Exception {
    Repository repo = embedded(2);
    List<List<String>> pages = new ArrayList<>();

    repo.tags(null, pages::add);

    assertThat(pages).containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
    assertThat(tagRequests().get(0)).isEqualTo("/v2/" + name + "/tags/list?n=2");
  }

  @Test
  void theTagStreamFetchesPagesOnlyWhenItReachesThem() throws Exception {
    Repository repo = embedded(2);

    assertThat(repo.tagStream(null).limit(3)).containsExactly("a", "b", "c");
    assertThat(tagRequests()).hasSize(2);
    assertThat(repo.tagStream("d")).containsExactly("e");
  }

  @Test
  void lastIsSentToTheRegistry() throws Exception {
    Repository repo = embedded(2);
    List<String> seen = new ArrayList<>();

    repo.tags("c", seen::addAll);

    assertThat(seen).containsExactly("d", "e");
    assertThat(tagRequests().get(0)).isEqualTo("/v2/" + name + "/tags/list?n=2&last=c");
  }

  @Test
  void aLinkToAnotherHostIsNotFollowed() throws Exception {
    elsewhere =
        new FakeHttpServer(
            exchange ->
                FakeHttpServer.respond(
                    exchange, 200, "application/json", Fixtures.utf8("{\"tags\":[\"stolen\"]}")));
    linkOverride = "http://" + elsewhere.hostPort() + "/v2/app/tags/list?n=2&last=b";
    Repository repo = start(2);

    assertThatThrownBy(repo::listTags)
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("paging Link")
        .hasMessageContaining("leaves the registry's origin");
    assertThat(elsewhere.requests).isEmpty();
  }

  @Test
  void aLinkThatDowngradesToAnotherSchemeIsNotFollowed() throws Exception {
    Repository repo = start(2);
    linkOverride = "https://" + server.hostPort() + "/v2/app/tags/list?n=2&last=b";

    assertThatThrownBy(repo::listTags)
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("leaves the registry's origin");
  }

  @Test
  void aBodyThatIsNotTheExpectedJsonIsAClearError() throws Exception {
    Repository repo = start(2);
    bodyOverride = Fixtures.utf8("<html><body>login required</body></html>");

    assertThatThrownBy(repo::listTags)
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("not the expected JSON")
        .hasMessageContaining("<html><body>login required")
        .hasMessageNotContaining("com.fasterxml");
  }
}
