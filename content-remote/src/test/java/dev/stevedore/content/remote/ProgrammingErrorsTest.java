package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.ContentException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Only I/O failures get network advice; a programming error surfaces as itself. */
@Timeout(60)
class ProgrammingErrorsTest {

  @Test
  void aRuntimeExceptionIsRethrownAsItself() {
    IllegalStateException bug = new IllegalStateException("a bug in a layer");

    assertThatThrownBy(() -> Blocking.unwrap(bug, "resolving v1")).isSameAs(bug);
    assertThatThrownBy(
            () ->
                Blocking.unwrap(new java.util.concurrent.CompletionException(bug), "resolving v1"))
        .isSameAs(bug);
  }

  @Test
  void ioFailuresGetNetworkAdvice() {
    assertThat(Blocking.unwrap(new ConnectException("Connection refused"), "pinging"))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("is the registry reachable?");
    assertThat(Blocking.unwrap(new HttpClosedException("Connection was closed"), "pinging"))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("is the registry reachable?");
  }

  @Test
  void aBugInALayerSurfacesFromABlockingCallAsItself() throws Exception {
    try (Repository repo =
        Repository.builder()
            .registry("127.0.0.1:1")
            .name("bugs/app")
            .plainHttp()
            .transportLayers(
                base ->
                    request -> Future.failedFuture(new NullPointerException("a bug in a layer")))
            .build()) {
      assertThatThrownBy(() -> repo.resolve("v1"))
          .isExactlyInstanceOf(NullPointerException.class)
          .hasMessage("a bug in a layer");
    }
  }

  @Test
  void anUnreachableRegistryStillGetsTheAdvice() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (Repository repo =
        Repository.builder()
            .registry("127.0.0.1:" + closedPort)
            .name("bugs/app")
            .plainHttp()
            .retryPolicy(RetryPolicy.none())
            .build()) {
      assertThatThrownBy(() -> repo.resolve("v1"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is the registry reachable?");
    }
  }
}
