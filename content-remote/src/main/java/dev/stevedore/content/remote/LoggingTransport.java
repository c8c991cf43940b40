package dev.stevedore.content.remote;

import io.vertx.core.Future;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The logging layer of the HTTP seam, next to the wire: every request as it is sent (retries and
 * token fetches included) and its status, at DEBUG, through {@code System.Logger}. Secrets never
 * reach the log: {@code Authorization} shows only its scheme, token-request bodies are not logged.
 */
final class LoggingTransport implements HttpTransport {
  private static final System.Logger LOG = System.getLogger("dev.stevedore.content.remote.http");
  private static final List<String> RESPONSE_HEADERS =
      List.of(
          "Content-Length",
          "Content-Type",
          "Docker-Content-Digest",
          "Location",
          "Range",
          "WWW-Authenticate",
          "Retry-After",
          "OCI-Subject");

  private final HttpTransport next;

  LoggingTransport(HttpTransport next) {
    this.next = next;
  }

  @Override
  public Future<HttpResponse> send(HttpRequest request) {
    if (!LOG.isLoggable(Level.DEBUG)) {
      return next.send(request);
    }
    long started = System.nanoTime();
    LOG.log(
        Level.DEBUG,
        () ->
            "--> "
                + request.method()
                + " "
                + request.uri()
                + " "
                + headers(request.headers())
                + (request.body() == null ? "" : " body " + request.body().length() + " bytes"));
    return next.send(request)
        .andThen(
            result -> {
              long millis = (System.nanoTime() - started) / 1_000_000;
              if (result.succeeded()) {
                HttpResponse response = result.result();
                LOG.log(
                    Level.DEBUG,
                    () ->
                        "<-- "
                            + response.status()
                            + " "
                            + request.method()
                            + " "
                            + request.uri()
                            + " ("
                            + millis
                            + " ms) "
                            + responseHeaders(response));
              } else {
                LOG.log(
                    Level.DEBUG,
                    () ->
                        "<-- failed "
                            + request.method()
                            + " "
                            + request.uri()
                            + " ("
                            + millis
                            + " ms): "
                            + result.cause());
              }
            });
  }

  /** Request headers with credentials redacted to their scheme. */
  static String headers(Map<String, String> headers) {
    return headers.entrySet().stream()
        .map(e -> e.getKey() + ": " + (isSecret(e.getKey()) ? redact(e.getValue()) : e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String responseHeaders(HttpResponse response) {
    StringBuilder out = new StringBuilder("{");
    for (String name : RESPONSE_HEADERS) {
      String value = response.header(name);
      if (value != null) {
        out.append(out.length() > 1 ? ", " : "").append(name).append(": ").append(value);
      }
    }
    return out.append('}').toString();
  }

  private static boolean isSecret(String header) {
    String lower = header.toLowerCase(Locale.ROOT);
    return lower.equals("authorization")
        || lower.equals("cookie")
        || lower.equals("proxy-authorization");
  }

  private static String redact(String value) {
    int space = value.indexOf(' ');
    return (space > 0 ? value.substring(0, space) : "") + " ***";
  }
}
