package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.UnsupportedContentException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The manifest endpoints of one repository: {@code HEAD/GET/PUT/DELETE
 * /v2/<name>/manifests/<reference>}. Manifests are metadata: read whole, never past the metadata
 * limit, and verified.
 */
final class ManifestStore {
  private final RegistryClient client;
  private final String name;

  ManifestStore(RegistryClient client, String name) {
    this.client = client;
    this.name = name;
  }

  private URI manifestUri(String reference) {
    return client.uri("/v2/" + name + "/manifests/" + reference);
  }

  private String where(String reference) {
    return "manifest " + reference + " in " + client.host() + "/" + name;
  }

  private long limit() {
    return client.options().maxMetadataBytes();
  }

  private String acceptAll() {
    return String.join(", ", client.options().manifestMediaTypes());
  }

  boolean exists(Descriptor desc) throws IOException {
    String reference = desc.digest().toString();
    return client.run(
        "HEAD " + where(reference),
        c ->
            client
                .transport()
                .send(
                    HttpRequest.of(HttpMethod.HEAD, manifestUri(reference), c)
                        .withHeader("Accept", accept(desc)))
                .compose(
                    r ->
                        switch (r.status()) {
                          case 200 -> r.discard().map(true);
                          case 404 -> r.discard().map(false);
                          default -> ErrorResponses.fail(r, null);
                        }));
  }

  /**
   * The Accept header for one descriptor: its own type first, as distribution 2.8 needs it listed.
   */
  private String accept(Descriptor desc) {
    return client.options().manifestMediaTypes().contains(desc.mediaType())
        ? desc.mediaType()
        : desc.mediaType() + ", " + acceptAll();
  }

  byte[] fetchBytes(Descriptor desc) throws IOException {
    String reference = desc.digest().toString();
    checkLimit(desc);
    byte[] body =
        client.run(
            "fetching " + where(reference),
            c ->
                client
                    .transport()
                    .send(
                        HttpRequest.of(HttpMethod.GET, manifestUri(reference), c)
                            .withHeader("Accept", accept(desc)))
                    .compose(
                        r -> {
                          if (r.status() != 200) {
                            return ErrorResponses.fail(r, where(reference));
                          }
                          try {
                            checkNotAWebPage(r, reference);
                          } catch (ContentException e) {
                            r.abort();
                            return Future.failedFuture(e);
                          }
                          long length = r.contentLength();
                          if (length >= 0 && length != desc.size()) {
                            r.abort();
                            return Future.failedFuture(
                                new DigestMismatchException(
                                    r.request()
                                        + ": Content-Length "
                                        + length
                                        + " differs from the "
                                        + desc.size()
                                        + " bytes of "
                                        + desc.digest(),
                                    desc.digest(),
                                    null));
                          }
                          try {
                            Headers.checkContentDigest(r, desc.digest());
                          } catch (ContentException e) {
                            r.abort();
                            return Future.failedFuture(e);
                          }
                          return r.body(Math.min(limit(), desc.size() + 1));
                        }));
    return Contents.readAll(new ByteArrayInputStream(body), desc, limit());
  }

  private void checkLimit(Descriptor desc) throws SizeLimitExceededException {
    if (desc.size() > limit()) {
      throw new SizeLimitExceededException(
          desc.digest()
              + ": manifest of "
              + desc.size()
              + " bytes exceeds the"
              + " metadata limit of "
              + limit()
              + " bytes; raise maxMetadataBytes if it is legitimate",
          limit());
    }
  }

  /** Resolves with HEAD; when HEAD gives no digest for a tag, GETs the manifest and hashes it. */
  Descriptor resolve(String reference) throws IOException {
    Optional<Digest> asDigest = Digest.tryParse(reference);
    HttpResponse head =
        client.run(
            "resolving " + where(reference),
            c ->
                client
                    .transport()
                    .send(
                        HttpRequest.of(HttpMethod.HEAD, manifestUri(reference), c)
                            .withHeader("Accept", acceptAll()))
                    .compose(
                        r ->
                            r.status() == 200
                                ? r.discard().map(r)
                                : ErrorResponses.fail(r, where(reference))));
    checkNotAWebPage(head, reference);
    String mediaType = requireMediaType(head);
    Optional<Digest> digest = Headers.contentDigest(head);
    long size = head.contentLength();
    if (asDigest.isPresent()) {
      if (digest.isPresent() && !digest.get().equals(asDigest.get())) {
        throw new DigestMismatchException(
            head.request()
                + ": the registry answered for "
                + digest.get()
                + " instead of "
                + asDigest.get(),
            asDigest.get(),
            digest.get());
      }
      if (size >= 0) {
        return Descriptor.of(mediaType, asDigest.get(), size);
      }
    } else if (digest.isPresent() && size >= 0) {
      return Descriptor.of(mediaType, digest.get(), size);
    }
    try (var fetched = fetchReference(reference)) {
      return fetched.descriptor();
    }
  }

  /**
   * Refuses an HTML page where a manifest was asked for: what a proxy's login page or a captive
   * portal answers, with status 200. Said as such, rather than taken for content of an unknown type
   * (which the copy engine would then look for, and miss, among the blobs).
   */
  private void checkNotAWebPage(HttpResponse response, String reference)
      throws UnsupportedContentException {
    String mediaType = Headers.mediaType(response);
    if (mediaType != null
        && (mediaType.equalsIgnoreCase("text/html")
            || mediaType.equalsIgnoreCase("application/xhtml+xml"))) {
      throw new UnsupportedContentException(
          response.request()
              + ": asked for "
              + where(reference)
              + ", the server answered with a web page ("
              + mediaType
              + "), not a manifest: a proxy's login page or a"
              + " captive portal is probably in the way; check the registry address, the proxy settings, and log in to"
              + " the proxy if it needs it");
    }
  }

  private static String requireMediaType(HttpResponse response) throws ContentException {
    String mediaType = Headers.mediaType(response);
    if (mediaType == null) {
      throw new ContentException(
          response.request() + ": the registry sent no Content-Type for the manifest");
    }
    return mediaType;
  }

  /**
   * One GET: the descriptor (from headers, verified against the bytes) and the verified content.
   */
  dev.stevedore.content.FetchedReference fetchReference(String reference) throws IOException {
    Optional<Digest> asDigest = Digest.tryParse(reference);
    Object[] result =
        client.run(
            "fetching " + where(reference),
            c ->
                client
                    .transport()
                    .send(
                        HttpRequest.of(HttpMethod.GET, manifestUri(reference), c)
                            .withHeader("Accept", acceptAll()))
                    .compose(
                        r -> {
                          if (r.status() != 200) {
                            return ErrorResponses.fail(r, where(reference));
                          }
                          try {
                            checkNotAWebPage(r, reference);
                          } catch (ContentException e) {
                            r.abort();
                            return Future.failedFuture(e);
                          }
                          if (r.contentLength() > limit()) {
                            r.abort();
                            return Future.failedFuture(
                                new SizeLimitExceededException(
                                    r.request()
                                        + ": manifest of "
                                        + r.contentLength()
                                        + " bytes exceeds the metadata limit of "
                                        + limit()
                                        + " bytes",
                                    limit()));
                          }
                          return r.body(limit()).map(body -> new Object[] {r, body});
                        }));
    HttpResponse response = (HttpResponse) result[0];
    byte[] body = (byte[]) result[1];
    String mediaType = requireMediaType(response);
    Optional<Digest> header = Headers.contentDigest(response);
    String algorithm =
        asDigest.map(Digest::algorithm).orElse(header.map(Digest::algorithm).orElse(Digest.SHA256));
    Digest actual = Digest.of(algorithm, body);
    Digest expected = asDigest.orElse(header.orElse(actual));
    if (!actual.equals(expected) || (header.isPresent() && !header.get().equals(actual))) {
      throw new DigestMismatchException(
          response.request()
              + ": the manifest's bytes hash to "
              + actual
              + " but "
              + (asDigest.isPresent()
                  ? "it was requested as " + expected
                  : "the registry's Docker-Content-Digest says " + header.orElse(expected)),
          expected,
          actual);
    }
    return new dev.stevedore.content.FetchedReference(
        Descriptor.of(mediaType, actual, body.length), new ByteArrayInputStream(body));
  }

  /**
   * PUTs manifest bytes (already verified) under a tag or digest, Content-Type its own media type.
   *
   * @return true when the registry answered with an OCI-Subject header (it supports referrers)
   */
  boolean push(Descriptor expected, byte[] bytes, String reference) throws IOException {
    HttpResponse response =
        client.run(
            "pushing " + where(reference),
            c ->
                client
                    .transport()
                    .send(
                        HttpRequest.of(HttpMethod.PUT, manifestUri(reference), c)
                            .withHeader("Content-Type", expected.mediaType())
                            .withBody(new HttpRequest.Bytes(bytes)))
                    .compose(
                        r ->
                            r.status() == 201 ? r.discard().map(r) : ErrorResponses.fail(r, null)));
    Headers.checkContentDigest(response, expected.digest());
    return response.header(Headers.OCI_SUBJECT) != null;
  }

  void delete(Descriptor desc) throws IOException {
    String reference = desc.digest().toString();
    client.run(
        "deleting " + where(reference),
        c ->
            client
                .transport()
                .send(HttpRequest.of(HttpMethod.DELETE, manifestUri(reference), c))
                .compose(
                    r ->
                        r.status() == 202
                            ? r.discard()
                            : ErrorResponses.fail(r, where(reference))));
  }
}
