package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reading the distribution-spec response headers. */
final class Headers {
  static final String DOCKER_CONTENT_DIGEST = "Docker-Content-Digest";
  static final String OCI_SUBJECT = "OCI-Subject";
  static final String OCI_FILTERS_APPLIED = "OCI-Filters-Applied";
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");

  private Headers() {}

  /** The media type of a Content-Type header, without parameters. */
  static @Nullable String mediaType(HttpResponse response) {
    String contentType = response.header("Content-Type");
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.isEmpty() ? null : type;
  }

  /**
   * The Docker-Content-Digest header, parsed.
   *
   * @return the digest, or empty when the header is absent
   * @throws ContentException if the header is present but not a digest
   */
  static Optional<Digest> contentDigest(HttpResponse response) throws ContentException {
    String value = response.header(DOCKER_CONTENT_DIGEST);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    Optional<Digest> digest = Digest.tryParse(value.trim());
    if (digest.isEmpty()) {
      throw new ContentException(
          response.request()
              + ": invalid "
              + DOCKER_CONTENT_DIGEST
              + " header \""
              + ErrorResponses.snippet(value.getBytes(java.nio.charset.StandardCharsets.UTF_8))
              + "\"");
    }
    return digest;
  }

  /** Fails when the Docker-Content-Digest header names another digest than {@code expected}. */
  static void checkContentDigest(HttpResponse response, Digest expected) throws ContentException {
    Optional<Digest> header = contentDigest(response);
    if (header.isPresent() && !header.get().equals(expected)) {
      throw new DigestMismatchException(
          response.request()
              + ": the registry's "
              + DOCKER_CONTENT_DIGEST
              + " "
              + header.get()
              + " differs from the expected "
              + expected
              + "; the registry is misbehaving or the"
              + " content was tampered with",
          expected,
          header.get());
    }
  }

  /** The target of a {@code Link: <url>; rel="next"} header, or null. */
  static @Nullable String nextLink(HttpResponse response) {
    for (String link : response.headers("Link")) {
      Matcher m = NEXT_LINK.matcher(link);
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }
}
