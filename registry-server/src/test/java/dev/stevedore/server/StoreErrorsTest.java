package dev.stevedore.server;

import static dev.stevedore.server.Http.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.ForwardingStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A store that fails with an {@link Error} instead of an exception — a blob too large for the heap
 * of a memory store is the real case: an {@link OutOfMemoryError} while it is read in — still gets
 * the client an answer, and the server goes on serving.
 */
@Timeout(60)
class StoreErrorsTest {
  // Started by each test before use; @AfterEach stops it only if started.
  @SuppressWarnings("NullAway.Init")
  private RegistryServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Memory stores; in repositories under {@code broken/} every push throws what {@code error}
   * makes.
   */
  private static RepositoryProvider breakingPushes(Supplier<Error> error) {
    RepositoryProvider memory = RepositoryProvider.memory();
    return new RepositoryProvider() {
      @Override
      public Optional<GraphTarget> open(String name) throws IOException {
        return memory.open(name).map(store -> wrap(name, store));
      }

      @Override
      public GraphTarget create(String name) throws IOException {
        return wrap(name, memory.create(name));
      }

      @Override
      public List<String> repositories() throws IOException {
        return memory.repositories();
      }

      private GraphTarget wrap(String name, GraphTarget store) {
        if (!name.startsWith("broken/")) {
          return store;
        }
        return new ForwardingStore(store) {
          @Override
          public void push(Descriptor expected, InputStream content) {
            throw error.get();
          }
        };
      }
    };
  }

  @Test
  void anOutOfMemoryErrorInAPushIsAnsweredAndTheServerGoesOn() throws Exception {
    server =
        RegistryServer.builder()
            .repositories(
                breakingPushes(() -> new OutOfMemoryError("Java heap space (thrown by the test)")))
            .start();
    Http http = new Http(server.url());
    byte[] bytes = Fixtures.utf8("a blob the store cannot hold");

    var refused = http.pushBlob("broken/app", bytes);

    assertError(refused, 500, "UNKNOWN");
    assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("out of memory");
    // the same server still serves, and stores what fits
    assertThat(http.pushBlob("fine/app", bytes).statusCode()).isEqualTo(201);
    assertThat(http.get("/v2/fine/app/blobs/" + Digest.sha256(bytes)).body()).isEqualTo(bytes);
  }

  @Test
  void anyOtherErrorInAPushIsAnsweredToo() throws Exception {
    server =
        RegistryServer.builder()
            .repositories(breakingPushes(() -> new StackOverflowError("thrown by the test")))
            .start();
    Http http = new Http(server.url());

    var refused = http.pushBlob("broken/app", Fixtures.utf8("x"));

    assertError(refused, 500, "UNKNOWN");
    assertThat(http.get("/v2/").statusCode()).isEqualTo(200);
  }
}
