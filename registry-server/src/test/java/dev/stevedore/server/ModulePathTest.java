package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path: the server starts and answers {@code /v2/} through the module's
 * descriptor (Vert.x, Netty, Jackson, the memory and layout stores).
 */
class ModulePathTest {
  @Test
  void theServerAnswersInTheNamedModule() throws Exception {
    assertThat(RegistryServer.class.getModule().getName()).isEqualTo("dev.stevedore.server");
    try (RegistryServer server =
            RegistryServer.builder().repositories(RepositoryProvider.memory()).port(0).start();
        Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("HTTP/1.1 200");
    }
  }
}
