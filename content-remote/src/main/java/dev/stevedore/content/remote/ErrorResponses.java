package dev.stevedore.content.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.internal.Json;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns an unexpected response into the ContentException family, in one place. */
final class ErrorResponses {
  /** Error bodies are small; anything longer is cut. */
  static final long MAX_ERROR_BODY = 64 * 1024;

  private ErrorResponses() {}

  /**
   * Reads the error body and fails with a RegistryResponseException; a 404 becomes a
   * NotFoundException (with the RegistryResponseException as its cause) when {@code notFound} names
   * what was missing.
   *
   * @param response the unexpected response
   * @param notFound what a 404 means, e.g. "blob sha256:... in localhost:5000/repo", or null when a
   *     404 is not a missing object
   */
  static <T> Future<T> fail(
      HttpResponse response, @org.jspecify.annotations.Nullable String notFound) {
    return response
        .body(MAX_ERROR_BODY)
        .recover(t -> Future.succeededFuture(new byte[0]))
        .compose(body -> Future.failedFuture(toException(response, body, notFound)));
  }

  static ContentException toException(
      HttpResponse response, byte[] body, @org.jspecify.annotations.Nullable String notFound) {
    RegistryResponseException failure = responseException(response, body);
    if (response.status() == 404 && notFound != null) {
      String missing = missingObject(response.request().uri());
      return new NotFoundException(
          notFound + ": not found (" + failure.getMessage() + ")",
          missing == null ? null : dev.stevedore.content.Digest.tryParse(missing).orElse(null),
          missing,
          failure);
    }
    if (failure.hasErrorCode("MANIFEST_BLOB_UNKNOWN")
        || failure.hasErrorCode("BLOB_UNKNOWN")
        || failure.hasErrorCode("MANIFEST_UNKNOWN")) {
      // A manifest refers to content the registry does not have (e.g. a copy interrupted earlier):
      // a NotFoundException in the chain lets the copy engine copy the children again (self-heal).
      return new NotFoundException(
          failure.getMessage() + " (the registry lacks content this request refers to)", failure);
    }
    return failure;
  }

  /** The digest or reference a blobs/manifests URI names (its last path segment), or null. */
  private static @org.jspecify.annotations.Nullable String missingObject(java.net.URI uri) {
    String path = uri.getPath();
    int slash = path == null ? -1 : path.lastIndexOf('/');
    if (slash < 0 || !(path.contains("/blobs/") || path.contains("/manifests/"))) {
      return null;
    }
    String last = path.substring(slash + 1);
    return last.isEmpty() ? null : last;
  }

  static RegistryResponseException responseException(HttpResponse response, byte[] body) {
    List<RegistryError> errors = parse(body);
    HttpRequest request = response.request();
    StringBuilder message =
        new StringBuilder()
            .append(request.method())
            .append(' ')
            .append(request.uri())
            .append(": ")
            .append(response.status());
    if (!response.statusMessage().isEmpty()) {
      message.append(' ').append(response.statusMessage());
    }
    if (!errors.isEmpty()) {
      message
          .append(": ")
          .append(
              errors.stream()
                  .map(RegistryError::toString)
                  .reduce((a, b) -> a + "; " + b)
                  .orElse(""));
    } else if (body.length > 0) {
      message.append(": ").append(snippet(body));
    }
    response
        .attribute(RetryTransport.ATTEMPTS)
        .ifPresent(attempts -> message.append(" (after ").append(attempts).append(" attempts)"));
    if (response.status() == 401 || response.status() == 403) {
      return authentication(response, errors, message);
    }
    message.append(hint(response.status()));
    return new RegistryResponseException(
        message.toString(), request.method().name(), request.uri(), response.status(), errors);
  }

  private static AuthenticationException authentication(
      HttpResponse response, List<RegistryError> errors, StringBuilder message) {
    HttpRequest request = response.request();
    String host = AuthTransport.hostOf(request.uri());
    AuthTransport.Outcome outcome = response.attribute(AuthTransport.OUTCOME).orElse(null);
    AuthenticationException.Reason reason;
    String advice;
    if (response.status() == 403
        || (outcome != null && outcome.reason() == AuthenticationException.Reason.ACCESS_DENIED)) {
      reason = AuthenticationException.Reason.ACCESS_DENIED;
      String scopes = outcome == null ? "" : String.join(" ", outcome.scopes());
      advice =
          "the registry "
              + host
              + " denied access"
              + (scopes.isEmpty() ? "" : " to " + scopes)
              + ": the credentials lack the permission for this operation";
    } else if (outcome != null
        && outcome.reason() == AuthenticationException.Reason.CREDENTIALS_REJECTED) {
      reason = AuthenticationException.Reason.CREDENTIALS_REJECTED;
      advice = "the registry " + host + " rejected the credentials; check them and log in again";
    } else {
      reason = AuthenticationException.Reason.CREDENTIALS_REQUIRED;
      advice =
          "the registry "
              + host
              + " requires authentication; log in (stevedore login "
              + host
              + ") or configure credentials";
    }
    return new AuthenticationException(
        advice + " (" + message + ")",
        request.method().name(),
        request.uri(),
        response.status(),
        errors,
        host,
        reason);
  }

  private static String hint(int status) {
    return switch (status) {
      case 401 -> " (authentication required: configure credentials for this registry)";
      case 403 -> " (access denied: check the credentials' permissions on this repository)";
      case 405 -> " (the registry does not allow this operation, e.g. deletes are disabled)";
      case 429 -> " (rate limited: retry later)";
      default ->
          status >= 500 ? " (registry-side failure: retry later or check the registry's logs)" : "";
    };
  }

  /** The distribution-spec errors of a body; empty when the body is not that JSON. */
  static List<RegistryError> parse(byte[] body) {
    if (body.length == 0) {
      return List.of();
    }
    JsonNode root;
    try {
      root = Json.tree(body, "registry error body");
    } catch (InvalidDescriptorException e) {
      return List.of();
    }
    JsonNode array = root.get("errors");
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<RegistryError> errors = new ArrayList<>();
    for (JsonNode error : array) {
      if (!error.isObject()) {
        continue;
      }
      errors.add(
          new RegistryError(
              text(error.get("code")),
              text(error.get("message")),
              error.get("detail") == null || error.get("detail").isNull()
                  ? ""
                  : error.get("detail").toString()));
    }
    return errors;
  }

  private static String text(@org.jspecify.annotations.Nullable JsonNode node) {
    return node == null || node.isNull() ? "" : node.isTextual() ? node.asText() : node.toString();
  }

  static String snippet(byte[] body) {
    String text =
        new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8)
            .replaceAll("\\s+", " ")
            .trim();
    return "\"" + text + (body.length > 200 ? "...\"" : "\"");
  }
}
