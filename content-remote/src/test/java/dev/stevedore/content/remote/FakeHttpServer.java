package dev.stevedore.content.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP-level fake on a loopback port, for what no real registry does on purpose: misbehaving
 * answers (Link headers to other hosts, bodies that are not JSON, a referrers list that ignores the
 * filter) and cross-host redirects. Records every request it serves. The referrers API and tag
 * paging themselves are tested against the embedded registry-server.
 */
final class FakeHttpServer implements AutoCloseable {
  /** A recorded request. */
  record Recorded(String method, String pathAndQuery, Map<String, List<String>> headers) {
    @Nullable String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** Answers one request. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  final List<Recorded> requests = new CopyOnWriteArrayList<>();

  FakeHttpServer(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(
                new Recorded(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
                    Map.copyOf(exchange.getRequestHeaders())));
            exchange.getRequestBody().readAllBytes();
            handler.handle(exchange);
          }
        });
    server.start();
  }

  String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  static void respond(HttpExchange exchange, int status, @Nullable String contentType, byte[] body)
      throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  static Map<String, String> query(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawQuery();
    Map<String, String> out = new java.util.HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&", 0)) {
      int eq = pair.indexOf('=');
      String key =
          java.net.URLDecoder.decode(
              eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
      String value =
          eq < 0
              ? ""
              : java.net.URLDecoder.decode(
                  pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      out.put(key, value);
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
