package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections are spread over the event loops: each loop has an HTTP server of its own on the
 * registry's port, so concurrent downloads are sent by as many threads (one server would send them
 * all from one thread). Closing the registry closes every one of those servers.
 */
@Timeout(120)
class EventLoopsTest {

  private static String get(Socket socket, String path) throws IOException {
    socket
        .getOutputStream()
        .write(
            ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return SlowClientsTest.readHead(socket.getInputStream());
  }

  @Test
  void concurrentConnectionsAreServedByEveryEventLoop() throws IOException {
    List<Socket> sockets = new ArrayList<>();
    try (RegistryServer server =
        RegistryServer.builder().repositories(RepositoryProvider.memory()).eventLoops(2).start()) {
      for (int i = 0; i < 2; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(60_000);
        sockets.add(socket);
      }
      for (Socket socket : sockets) {
        assertThat(get(socket, "/v2/")).startsWith("HTTP/1.1 200");
      }
      assertThat(server.servingThreads()).hasSize(2);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void closingStopsEveryListener() throws IOException {
    RegistryServer server =
        RegistryServer.builder().repositories(RepositoryProvider.memory()).eventLoops(3).start();
    int port = server.port();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(60_000);
      assertThat(get(socket, "/v2/")).startsWith("HTTP/1.1 200");
    }
    server.close();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void eventLoopsMustBePositive() {
    assertThatThrownBy(() -> RegistryServer.builder().eventLoops(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eventLoops");
  }
}
