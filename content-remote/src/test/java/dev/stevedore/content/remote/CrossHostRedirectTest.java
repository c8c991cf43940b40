package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.testing.Fixtures;
import java.io.InputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A blob GET redirected to another host (object storage) is followed without the Authorization
 * header: a registry fake answers 307 to a second local server.
 */
@Timeout(30)
class CrossHostRedirectTest {
  private static final String TOKEN = "Bearer secret-registry-token";
  private final byte[] content = Fixtures.randomBytes(300_000, 3);
  private final Descriptor blob = Descriptor.of("application/octet-stream", content);

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private FakeHttpServer storage;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private FakeHttpServer registry;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  @AfterEach
  void stop() {
    repository.close();
    registry.close();
    storage.close();
  }

  private byte[] served = content;

  private Repository start(String storageHost) throws Exception {
    storage =
        new FakeHttpServer(
            exchange -> FakeHttpServer.respond(exchange, 200, "application/octet-stream", served));
    registry =
        new FakeHttpServer(
            exchange -> {
              exchange
                  .getResponseHeaders()
                  .set(
                      "Location",
                      "http://"
                          + storageHost.replace("STORAGE", storage.hostPort())
                          + "/bucket/"
                          + blob.digest().encoded()
                          + "?signature=abc");
              FakeHttpServer.respond(exchange, 307, null, new byte[0]);
            });
    // stands in for the authentication layer of issue 7: it adds credentials to every request it
    // sends
    repository =
        Repository.builder()
            .registry(registry.hostPort())
            .name("app")
            .plainHttp()
            .transportLayers(
                base -> request -> base.send(request.withHeader("Authorization", TOKEN)))
            .build();
    return repository;
  }

  @Test
  void contentFromStorageIsVerifiedAgainstTheDescriptor() throws Exception {
    served = content.clone();
    served[1000] ^= 1;
    Repository repo = start("STORAGE");

    try (InputStream in = repo.fetch(blob)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(dev.stevedore.content.DigestMismatchException.class);
    }
  }

  @Test
  void theAuthorizationHeaderIsDroppedWhenTheRedirectLeavesTheRegistry() throws Exception {
    Repository repo = start("STORAGE");

    byte[] fetched;
    try (InputStream in = repo.fetch(blob)) {
      fetched = in.readAllBytes();
    }

    assertThat(fetched).isEqualTo(content);
    assertThat(registry.requests)
        .singleElement()
        .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo(TOKEN));
    assertThat(storage.requests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.pathAndQuery())
                  .isEqualTo("/bucket/" + blob.digest().encoded() + "?signature=abc");
              assertThat(r.header("Authorization")).isNull();
            });
  }
}
