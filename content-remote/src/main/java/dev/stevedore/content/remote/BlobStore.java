package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.ContentSupplier;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.VerifyingInputStream;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * The blob endpoints of one repository: {@code HEAD/GET/DELETE /v2/<name>/blobs/<digest>}, uploads
 * ({@code POST} then {@code PUT ?digest=}, or chunked {@code PATCH}es for large blobs) and
 * cross-repository mounts.
 */
final class BlobStore {
  private static final System.Logger LOG = System.getLogger(BlobStore.class.getName());
  private static final String OCTET_STREAM = "application/octet-stream";

  private final RegistryClient client;
  private final String name;

  BlobStore(RegistryClient client, String name) {
    this.client = client;
    this.name = name;
  }

  private URI blobUri(Descriptor desc) {
    return client.uri("/v2/" + name + "/blobs/" + desc.digest());
  }

  private String where(Descriptor desc) {
    return "blob " + desc.digest() + " in " + client.host() + "/" + name;
  }

  boolean exists(Descriptor desc) throws IOException {
    return client.run(
        "HEAD " + where(desc),
        c ->
            client
                .transport()
                .send(HttpRequest.of(HttpMethod.HEAD, blobUri(desc), c))
                .compose(
                    response ->
                        switch (response.status()) {
                          case 200 -> response.discard().map(true);
                          case 404 -> response.discard().map(false);
                          default -> ErrorResponses.fail(response, null);
                        }));
  }

  Descriptor resolve(dev.stevedore.content.Digest digest) throws IOException {
    Descriptor probe = Descriptor.of(dev.stevedore.content.MediaTypes.OCTET_STREAM, digest, 0);
    HttpResponse response =
        client.run(
            "HEAD " + where(probe),
            c ->
                client
                    .transport()
                    .send(HttpRequest.of(HttpMethod.HEAD, blobUri(probe), c))
                    .compose(
                        r ->
                            r.status() == 200
                                ? r.discard().map(r)
                                : ErrorResponses.fail(r, where(probe))));
    long length = response.contentLength();
    if (length < 0) {
      throw new ContentException(
          response.request() + ": the registry did not say the size of " + digest);
    }
    Headers.checkContentDigest(response, digest);
    return Descriptor.of(dev.stevedore.content.MediaTypes.OCTET_STREAM, digest, length);
  }

  InputStream fetch(Descriptor desc) throws IOException {
    HttpResponse response =
        client.run(
            "fetching " + where(desc),
            c ->
                client
                    .transport()
                    .send(HttpRequest.of(HttpMethod.GET, blobUri(desc), c))
                    .compose(
                        r ->
                            r.status() == 200
                                ? Future.succeededFuture(r)
                                : ErrorResponses.fail(r, where(desc))));
    try {
      long length = response.contentLength();
      if (length >= 0 && length != desc.size()) {
        throw new DigestMismatchException(
            response.request()
                + ": Content-Length "
                + length
                + " differs from the "
                + desc.size()
                + " bytes of "
                + desc.digest(),
            desc.digest(),
            null);
      }
      Headers.checkContentDigest(response, desc.digest());
    } catch (IOException e) {
      response.abort();
      throw e;
    }
    InputStream body = response.stream();
    if (client.options().retryPolicy().maxAttempts() > 1) {
      body =
          new ResumingInputStream(
              body,
              offset -> openFrom(desc, offset),
              client.options().retryPolicy(),
              desc.size(),
              "fetching " + where(desc));
    }
    return new VerifyingInputStream(body, desc);
  }

  /**
   * The rest of a blob from an offset: a GET with a Range header, which must be answered 206 from
   * there.
   */
  private InputStream openFrom(Descriptor desc, long offset) throws IOException {
    HttpResponse response =
        client.run(
            "resuming " + where(desc) + " at byte " + offset,
            c ->
                client
                    .transport()
                    .send(
                        HttpRequest.of(HttpMethod.GET, blobUri(desc), c)
                            .withHeader("Range", "bytes=" + offset + "-"))
                    .compose(
                        r ->
                            r.status() == 206
                                ? Future.succeededFuture(r)
                                : r.status() == 200
                                    ? r.discard()
                                        .recover(t -> Future.succeededFuture())
                                        .compose(
                                            v ->
                                                Future.failedFuture(
                                                    new ContentException(
                                                        where(desc)
                                                            + ": the registry ignores Range requests, so the broken download cannot resume")))
                                    : ErrorResponses.fail(r, where(desc))));
    String range = response.header("Content-Range");
    if (range == null || !range.trim().startsWith("bytes " + offset + "-")) {
      response.abort();
      throw new ContentException(
          where(desc)
              + ": asked for bytes from "
              + offset
              + ", the registry answered range "
              + range);
    }
    return response.stream();
  }

  void delete(Descriptor desc) throws IOException {
    client.run(
        "deleting " + where(desc),
        c ->
            client
                .transport()
                .send(HttpRequest.of(HttpMethod.DELETE, blobUri(desc), c))
                .compose(
                    r -> r.status() == 202 ? r.discard() : ErrorResponses.fail(r, where(desc))));
  }

  void push(Descriptor expected, InputStream content) throws IOException {
    URI location = startUpload(client.uri("/v2/" + name + "/blobs/uploads/"), expected);
    complete(location, expected, content);
  }

  /**
   * Mounts a blob from another repository; a 202 answer means "not mounted, here is an upload
   * session", which the fallback upload uses.
   */
  void mount(Descriptor desc, String fromRepository, @Nullable ContentSupplier content)
      throws IOException {
    URI mountUri =
        client.uri(
            "/v2/"
                + name
                + "/blobs/uploads/?mount="
                + RegistryClient.encode(desc.digest().toString())
                + "&from="
                + RegistryClient.encode(fromRepository));
    String what = "mounting " + desc.digest() + " from " + fromRepository + " into " + name;
    HttpResponse response =
        client.run(
            what,
            c ->
                client
                    .transport()
                    .send(HttpRequest.of(HttpMethod.POST, mountUri, c))
                    .compose(
                        r ->
                            r.status() == 201 || r.status() == 202
                                ? r.discard().map(r)
                                : ErrorResponses.fail(r, null)));
    if (response.status() == 201) {
      Headers.checkContentDigest(response, desc.digest());
      return;
    }
    URI location = uploadLocation(response);
    if (content == null) {
      cancelUpload(location);
      throw new ContentException(
          what
              + ": the registry declined the mount and no content was supplied for an upload;"
              + " pass a ContentSupplier to fall back to uploading");
    }
    LOG.log(Level.DEBUG, () -> what + ": declined by the registry, uploading instead");
    InputStream in;
    try {
      in = content.open();
    } catch (IOException | RuntimeException e) {
      cancelUpload(location);
      throw e;
    }
    try (in) {
      complete(location, desc, in);
    }
  }

  /**
   * Uploads content of unknown size and digest through a chunked session, hashing it on the way;
   * the final {@code PUT} carries the digest. Two chunks are in memory; nothing is spooled.
   */
  Descriptor pushStream(String mediaType, InputStream content) throws IOException {
    URI location =
        startUpload(client.uri("/v2/" + name + "/blobs/uploads/"), "a streamed blob into " + name);
    try {
      ChunkedUpload upload =
          ChunkedUpload.streaming(
              client,
              location,
              mediaType,
              new NonClosing(content),
              client.options().uploadChunkSize());
      upload.run();
      return upload.descriptor();
    } catch (IOException | RuntimeException e) {
      cancelUpload(location);
      throw e;
    }
  }

  private URI startUpload(URI uploads, Descriptor expected) throws IOException {
    return startUpload(uploads, where(expected));
  }

  private URI startUpload(URI uploads, String what) throws IOException {
    HttpResponse response =
        client.run(
            "starting the upload of " + what,
            c ->
                client
                    .transport()
                    .send(HttpRequest.of(HttpMethod.POST, uploads, c))
                    .compose(
                        r ->
                            r.status() == 202 ? r.discard().map(r) : ErrorResponses.fail(r, null)));
    return uploadLocation(response);
  }

  private URI uploadLocation(HttpResponse response) throws ContentException {
    String location = response.header("Location");
    if (location == null || location.isBlank()) {
      throw new ContentException(
          response.request()
              + ": the registry answered "
              + response.status()
              + " without a Location header for the upload session");
    }
    return client.sameOrigin(response.request().uri(), location, "upload Location");
  }

  /** Uploads into a session: one PUT, or PATCH chunks then a PUT for large blobs. */
  private void complete(URI location, Descriptor expected, InputStream content) throws IOException {
    // Content that verifies itself (the copy engine's streams) is not hashed a second time.
    InputStream verifying = new NonClosing(VerifyingInputStream.wrap(content, expected));
    try {
      if (expected.size() >= client.options().chunkedUploadThreshold()) {
        new ChunkedUpload(client, location, expected, verifying, client.options().uploadChunkSize())
            .run();
      } else {
        putMonolithic(location, expected, verifying);
      }
    } catch (IOException | RuntimeException e) {
      cancelUpload(location);
      throw e;
    }
  }

  private void putMonolithic(URI location, Descriptor expected, InputStream content)
      throws IOException {
    URI put = withDigest(location, expected);
    // A body that fits one write is read (and verified) here, on the caller's thread: the
    // transport then sends it from the event loop without the upload executor. Content that does
    // not match fails here, before the PUT is sent.
    InputStream body =
        expected.size() <= VertxTransport.WRITE_BUFFER ? readVerified(content, expected) : content;
    HttpRequest request =
        HttpRequest.of(HttpMethod.PUT, put, new Cancellation())
            .withHeader("Content-Type", OCTET_STREAM);
    HttpResponse response =
        client.run(
            "uploading " + where(expected),
            c ->
                client
                    .transport()
                    .send(
                        new HttpRequest(
                            request.method(),
                            request.uri(),
                            request.headers(),
                            new HttpRequest.Stream(body, expected.size()),
                            c))
                    .compose(
                        r ->
                            r.status() == 201 ? r.discard().map(r) : ErrorResponses.fail(r, null)));
    Headers.checkContentDigest(response, expected.digest());
  }

  /** The whole content in memory, read to its end (where a verifying stream checks it). */
  private InputStream readVerified(InputStream content, Descriptor expected) throws IOException {
    byte[] bytes = content.readNBytes((int) expected.size());
    if (content.read() >= 0 || bytes.length != expected.size()) {
      throw new DigestMismatchException(
          where(expected)
              + ": the content is "
              + (bytes.length == expected.size() ? "longer" : "shorter")
              + " than the "
              + expected.size()
              + " bytes its descriptor says",
          expected.digest(),
          null);
    }
    return new HttpRequest.InMemory(bytes);
  }

  static URI withDigest(URI location, Descriptor expected) {
    String digest = "digest=" + RegistryClient.encode(expected.digest().toString());
    String query = location.getRawQuery();
    String base = location.toString();
    int hash = base.indexOf('#');
    if (hash >= 0) {
      base = base.substring(0, hash);
    }
    return URI.create(base + (query == null || query.isEmpty() ? "?" : "&") + digest);
  }

  /** Best effort: tell the registry to drop an upload session we abandon. */
  void cancelUpload(URI location) {
    try {
      client.run(
          "cancelling upload",
          c ->
              client
                  .transport()
                  .send(HttpRequest.of(HttpMethod.DELETE, location, c))
                  .compose(HttpResponse::discard));
    } catch (IOException e) {
      LOG.log(
          Level.DEBUG,
          () -> "cancelling the upload session failed (it expires by itself): " + e.getMessage());
    }
  }

  /** Keeps the caller's stream open: the caller owns it. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the caller closes its stream
    }
  }
}
