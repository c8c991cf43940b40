package dev.stevedore.content.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.internal.Json;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Paged listings: one GET per page, the next page named by a {@code Link} header on the same
 * origin.
 */
final class Paging {
  private Paging() {}

  /**
   * One page.
   *
   * @param response the response (status 200)
   * @param body its body, read up to the metadata limit
   * @param next the next page, or null at the end
   */
  // The body is read once by the caller; a page is never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Page(HttpResponse response, byte[] body, @Nullable URI next) {}

  /** GETs one page; a non-200 answer fails with a RegistryResponseException. */
  static Page get(RegistryClient client, URI uri, Map<String, String> headers, String what)
      throws IOException {
    Object[] result =
        client.run(
            what,
            c -> {
              HttpRequest request = HttpRequest.of(HttpMethod.GET, uri, c);
              for (Map.Entry<String, String> h : headers.entrySet()) {
                request = request.withHeader(h.getKey(), h.getValue());
              }
              return client
                  .transport()
                  .send(request)
                  .compose(
                      r ->
                          r.status() == 200
                              ? r.body(client.options().maxMetadataBytes())
                                  .map(body -> new Object[] {r, body})
                              : ErrorResponses.fail(r, null));
            });
    HttpResponse response = (HttpResponse) result[0];
    String link = Headers.nextLink(response);
    URI next =
        link == null ? null : client.sameOrigin(response.request().uri(), link, "paging Link");
    return new Page(response, (byte[]) result[1], next);
  }

  /**
   * The strings of a JSON array field ({@code tags}, {@code repositories}); a null or missing field
   * is empty.
   */
  static List<String> strings(Page page, String field) throws ContentException {
    JsonNode root = json(page, "{\"" + field + "\": [...]}");
    JsonNode array = root.get(field);
    if (array == null || array.isNull()) {
      return List.of();
    }
    if (!array.isArray()) {
      throw unexpected(page, "\"" + field + "\" is not an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        throw unexpected(page, "\"" + field + "\" holds a non-string");
      }
      out.add(item.asText());
    }
    return out;
  }

  static JsonNode json(Page page, String expected) throws ContentException {
    try {
      JsonNode root = Json.tree(page.body(), "response of " + page.response().request());
      if (!root.isObject()) {
        throw unexpected(page, "not a JSON object");
      }
      return root;
    } catch (InvalidDescriptorException e) {
      throw new ContentException(
          page.response().request()
              + ": the registry's answer is not the expected JSON "
              + expected
              + ": "
              + ErrorResponses.snippet(page.body()),
          e);
    }
  }

  static ContentException unexpected(Page page, String problem) {
    return new ContentException(
        page.response().request()
            + ": unexpected response ("
            + problem
            + "): "
            + ErrorResponses.snippet(page.body()));
  }

  /** Appends a query parameter. */
  static URI withQuery(URI uri, String name, String value) {
    String query = uri.getRawQuery();
    return URI.create(
        uri
            + (query == null || query.isEmpty() ? "?" : "&")
            + name
            + "="
            + RegistryClient.encode(value));
  }
}
