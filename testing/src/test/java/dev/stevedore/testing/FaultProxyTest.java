package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FaultProxyTest {
  private HttpServer server;
  private FaultProxy proxy;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final byte[] big = Fixtures.randomBytes(1 << 20, 5);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/big",
        exchange -> {
          exchange.sendResponseHeaders(200, big.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(big);
          }
        });
    server.createContext(
        "/echo",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    proxy = FaultProxy.start("127.0.0.1", server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    proxy.close();
    server.stop(0);
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://" + proxy.hostPort() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void forwardsUntouchedByDefault() throws Exception {
    assertThat(get("/big").body()).isEqualTo(big);
    HttpResponse<byte[]> echo =
        client.send(
            HttpRequest.newBuilder(URI.create("http://" + proxy.hostPort() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(echo.body()).isEqualTo(big);
    assertThat(proxy.injected()).isZero();
  }

  @Test
  void answersMatchingRequestsAndCountsEveryRequestOnAKeptAliveConnection() throws Exception {
    proxy.answer(line -> line.startsWith("GET /big"), 503, Map.of("Retry-After", "1"), 2);
    HttpResponse<byte[]> first = get("/big");
    HttpResponse<byte[]> second = get("/big");
    HttpResponse<byte[]> third = get("/big");
    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.headers().firstValue("Retry-After")).contains("1");
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(third.body()).isEqualTo(big);
    assertThat(proxy.requests()).isEqualTo(3);
    assertThat(proxy.connections()).isEqualTo(1);
    assertThat(proxy.injected()).isEqualTo(2);
  }

  @Test
  void resetsADownloadAfterSomeBytes() throws Exception {
    proxy.resetDownloadAfter(100_000, 1);
    assertThatThrownBy(() -> get("/big")).isInstanceOf(IOException.class);
    assertThat(get("/big").body()).isEqualTo(big);
    assertThat(proxy.injected()).isEqualTo(1);
  }

  @Test
  void resetsAnUploadAfterSomeBytes() throws Exception {
    proxy.resetUploadAfter(200_000, 1);
    assertThatThrownBy(
            () ->
                client.send(
                    HttpRequest.newBuilder(URI.create("http://" + proxy.hostPort() + "/echo"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
    assertThat(proxy.injected()).isEqualTo(1);
  }

  @Test
  void resetsMatchingRequestsBeforeForwardingThem() throws Exception {
    proxy.resetRequests(line -> line.startsWith("POST /echo"), 1);
    assertThatThrownBy(
            () ->
                client.send(
                    HttpRequest.newBuilder(URI.create("http://" + proxy.hostPort() + "/echo"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
    assertThat(get("/big").body()).isEqualTo(big);
    assertThat(proxy.injected()).isEqualTo(1);
  }
}
