package dev.stevedore.content.remote;

import io.vertx.core.http.HttpMethod;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request of a registry operation.
 *
 * @param method the method
 * @param uri the absolute URI
 * @param headers the headers (case-insensitive names)
 * @param body the body, or null
 * @param cancellation the cancellation handle of the operation
 */
record HttpRequest(
    HttpMethod method,
    URI uri,
    Map<String, String> headers,
    @Nullable Body body,
    Cancellation cancellation) {

  HttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  static HttpRequest of(HttpMethod method, URI uri, Cancellation cancellation) {
    return new HttpRequest(method, uri, Map.of(), null, cancellation);
  }

  HttpRequest withHeader(String name, String value) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    h.put(name, value);
    return new HttpRequest(method, uri, h, body, cancellation);
  }

  HttpRequest withoutHeader(String name) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    h.remove(name);
    return new HttpRequest(method, uri, h, body, cancellation);
  }

  HttpRequest withUri(URI newUri) {
    return new HttpRequest(method, newUri, headers, body, cancellation);
  }

  HttpRequest withBody(Body newBody) {
    return new HttpRequest(method, uri, headers, newBody, cancellation);
  }

  /** What the log and messages show: method and URL, never headers (they may hold credentials). */
  @Override
  public String toString() {
    return method + " " + uri;
  }

  /** A request body. */
  sealed interface Body permits Bytes, Stream {
    /** The length in bytes, sent as Content-Length. */
    long length();
  }

  /**
   * A body held in memory (manifests, upload chunks).
   *
   * @param bytes the bytes
   */
  // The array is the body as sent; a Bytes body is never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Bytes(byte[] bytes) implements Body {
    @Override
    public long length() {
      return bytes.length;
    }
  }

  /**
   * A body streamed from a blocking stream with back-pressure. The stream must verify itself (a
   * {@code VerifyingInputStream}): the transport holds back the last buffer until the stream has
   * reported its end, so content that fails verification never reaches the server whole.
   *
   * @param in the content
   * @param length its length
   */
  record Stream(InputStream in, long length) implements Body {}

  /**
   * The content of a {@link Stream} body already read (and verified) into memory by the caller: the
   * transport sends it from the event loop in one write, without handing the body to the upload
   * executor (one thread hand-off and one pump less per small blob). Unlike a {@link Bytes} body it
   * stays a stream for the retry and authentication layers: a failed request is not sent again,
   * exactly as for any other stream.
   */
  static final class InMemory extends java.io.ByteArrayInputStream {
    /**
     * @param bytes the whole body; never modified afterwards
     */
    InMemory(byte[] bytes) {
      super(bytes);
    }

    /** The whole body, as given (not a copy: it is sent as is). */
    byte[] bytes() {
      return buf;
    }
  }
}
