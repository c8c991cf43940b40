package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path: a repository is configured and makes a request through the module's
 * descriptor (Vert.x, Netty, Caffeine, Jackson, the non-exported auth package).
 */
class ModulePathTest {
  @Test
  void aRepositoryMakesARequestInTheNamedModule() throws Exception {
    assertThat(Repository.class.getModule().getName()).isEqualTo("dev.stevedore.content.remote");
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    try (Repository repo =
        Repository.builder()
            .reference("127.0.0.1:" + port + "/modules/check")
            .plainHttp()
            .retryPolicy(RetryPolicy.none())
            .idleTimeout(Duration.ofSeconds(5))
            .build()) {
      assertThatThrownBy(() -> repo.resolve("v1")).isInstanceOf(IOException.class);
    }
  }
}
