package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.content.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small client of the distribution API for protocol tests: the JDK's HTTP client, no Stevedore
 * code.
 */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final URI base;
  private final Map<String, String> always;

  Http(URI base) {
    this(base, Map.of());
  }

  Http(URI base, Map<String, String> always) {
    this.base = base;
    this.always = always;
  }

  HttpResponse<byte[]> send(String method, String path, byte @Nullable [] body, String... headers)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(path.startsWith("http") ? URI.create(path) : URI.create(base + path))
            .timeout(Duration.ofSeconds(60));
    always.forEach(request::header);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  HttpResponse<byte[]> get(String path, String... headers) throws IOException {
    return send("GET", path, null, headers);
  }

  HttpResponse<byte[]> head(String path, String... headers) throws IOException {
    return send("HEAD", path, null, headers);
  }

  HttpResponse<byte[]> delete(String path) throws IOException {
    return send("DELETE", path, null);
  }

  /** A monolithic upload: POST ?digest= with the body. */
  HttpResponse<byte[]> pushBlob(String name, byte[] bytes) throws IOException {
    return send(
        "POST",
        "/v2/" + name + "/blobs/uploads/?digest=" + Digest.sha256(bytes),
        bytes,
        "Content-Type",
        "application/octet-stream");
  }

  HttpResponse<byte[]> pushManifest(String name, String reference, String mediaType, byte[] bytes)
      throws IOException {
    return send("PUT", "/v2/" + name + "/manifests/" + reference, bytes, "Content-Type", mediaType);
  }

  static JsonNode json(HttpResponse<byte[]> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /** Asserts a spec error: status and the first error's code. */
  static void assertError(HttpResponse<byte[]> response, int status, String code)
      throws IOException {
    assertThat(response.statusCode())
        .as(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(status);
    if (!"HEAD".equals(response.request().method())) {
      assertThat(json(response).path("errors").path(0).path("code").asText()).isEqualTo(code);
      assertThat(json(response).path("errors").path(0).path("message").asText()).isNotBlank();
    }
  }
}
