package dev.stevedore.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response, as the worker thread that handles it sees them: the request's
 * method, path, headers and query captured on the event loop, the body as a {@link BodyStream}, and
 * thread-safe ways to answer (whole, streamed with back-pressure, or as a spec error).
 */
final class Exchange {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 256 * 1024;
  private static final int WRITE_QUEUE = 4 << 20;
  private static final long DRAIN_TIMEOUT_SECONDS = 300;

  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Context context;
  private final HttpMethod method;
  private final String path;
  private final MultiMap headers;
  private final MultiMap params;
  private final @Nullable BodyStream body;
  private volatile boolean closed;
  private volatile boolean answered;
  private @Nullable CompletableFuture<Void> drain;
  private final Object drainLock = new Object();
  private volatile java.util.function.@Nullable Consumer<HttpServerResponse> beforeEnd;

  /** Must be created on the event loop, in the request handler. */
  Exchange(HttpServerRequest request, Context context, @Nullable BodyStream body) {
    this.request = request;
    this.response = request.response();
    this.context = context;
    this.method = request.method();
    this.path = request.path();
    this.headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    this.params = MultiMap.caseInsensitiveMultiMap().addAll(request.params());
    this.body = body;
    response.closeHandler(v -> onClosed());
    response.exceptionHandler(e -> onClosed());
  }

  private void onClosed() {
    closed = true;
    if (body != null) {
      body.fail(new IOException("the client closed the connection"));
    }
    synchronized (drainLock) {
      if (drain != null) {
        drain.complete(null);
      }
    }
  }

  /**
   * Called on the event loop just before the response ends, so what it records precedes the
   * client's view.
   */
  void beforeEnd(java.util.function.Consumer<HttpServerResponse> listener) {
    this.beforeEnd = listener;
  }

  private void ending() {
    java.util.function.Consumer<HttpServerResponse> listener = beforeEnd;
    if (listener != null) {
      listener.accept(response);
    }
  }

  HttpMethod method() {
    return method;
  }

  boolean isHead() {
    return HttpMethod.HEAD.equals(method);
  }

  String path() {
    return path;
  }

  @Nullable String header(String name) {
    return headers.get(name);
  }

  /** Every value of a header that may repeat (Accept), joined with commas; null when absent. */
  @Nullable String headerValues(String name) {
    java.util.List<String> values = headers.getAll(name);
    return values.isEmpty() ? null : String.join(",", values);
  }

  @Nullable String param(String name) {
    String value = params.get(name);
    return value;
  }

  boolean hasParam(String name) {
    return params.contains(name);
  }

  String remoteAddress() {
    return String.valueOf(request.remoteAddress());
  }

  /** The request body; fails for a method that has none. */
  BodyStream body() {
    if (body == null) {
      throw new RegistryError(ErrorCode.UNSUPPORTED, method + " " + path + " carries no body");
    }
    return body;
  }

  /** The body, if the request has one. */
  @Nullable BodyStream bodyOrNull() {
    return body;
  }

  boolean answered() {
    return answered;
  }

  boolean closed() {
    return closed;
  }

  /** Answers with no body; {@code Content-Length: 0} unless the headers say otherwise. */
  void send(int status, Map<String, String> replyHeaders) {
    send(status, replyHeaders, null);
  }

  /** Answers with a whole body (JSON documents, manifests under the size limit). */
  void send(int status, Map<String, String> replyHeaders, byte @Nullable [] content) {
    answered = true;
    discardBody();
    context.runOnContext(
        v -> {
          if (response.ended() || response.closed()) {
            return;
          }
          response.setStatusCode(status);
          replyHeaders.forEach(response::putHeader);
          if (!replyHeaders.containsKey("Content-Length")) {
            response.putHeader(
                "Content-Length", String.valueOf(content == null ? 0 : content.length));
          }
          ending();
          if (content == null || isHead()) {
            response.end();
          } else {
            response.end(Buffer.buffer(content));
          }
        });
  }

  /** Answers a JSON document. */
  void sendJson(int status, Map<String, String> replyHeaders, Object document) {
    Map<String, String> all = new LinkedHashMap<>(replyHeaders);
    all.putIfAbsent("Content-Type", "application/json");
    try {
      send(status, all, JSON.writeValueAsBytes(document));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Answers the spec's JSON error document. */
  void sendError(RegistryError error) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode errors = root.putArray("errors");
    ObjectNode entry = errors.addObject();
    entry.put("code", error.code().name());
    entry.put("message", error.getMessage());
    if (error.detail() != null) {
      entry.set("detail", JSON.valueToTree(error.detail()));
    }
    Map<String, String> replyHeaders = new LinkedHashMap<>(error.headers());
    replyHeaders.put("Content-Type", "application/json");
    try {
      send(error.status(), replyHeaders, JSON.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * Streams {@code length} bytes of {@code content} as the response body (headers first), waiting
   * whenever the connection's write queue is full. Stops, closing nothing but the stream, when the
   * client goes away.
   */
  void stream(int status, Map<String, String> replyHeaders, InputStream content, long length)
      throws IOException {
    answered = true;
    discardBody();
    CompletableFuture<Void> headersSent = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          response.setStatusCode(status);
          replyHeaders.forEach(response::putHeader);
          response.putHeader("Content-Length", String.valueOf(length));
          response.setWriteQueueMaxSize(WRITE_QUEUE);
          headersSent.complete(null);
        });
    await(headersSent);
    if (isHead()) {
      context.runOnContext(
          v -> {
            ending();
            response.end();
          });
      return;
    }
    byte[] chunk = new byte[CHUNK];
    long left = length;
    while (left > 0) {
      if (closed) {
        throw new IOException(
            "the client closed the connection with " + left + " bytes left to send");
      }
      int n = content.read(chunk, 0, (int) Math.min(chunk.length, left));
      if (n < 0) {
        response.reset();
        throw new IOException("the store's content ended " + left + " bytes early");
      }
      left -= n;
      response.write(Buffer.buffer(java.util.Arrays.copyOf(chunk, n)));
      awaitDrain();
    }
    context.runOnContext(
        v -> {
          if (!response.ended() && !response.closed()) {
            ending();
            response.end();
          }
        });
  }

  /**
   * Sends part of a file as the response body with the operating system's zero-copy transfer (the
   * file is a blob of an OCI layout, named by its digest, never written in place; over TLS Vert.x
   * reads and encrypts it in pieces). Returns as soon as the transfer is started: the event loop
   * carries it on, so a slow client holds no worker thread. The exchange owns {@code file} from
   * here on and closes it when the transfer ends; a transfer that fails (the client went away)
   * closes the connection.
   */
  void sendFile(
      int status, Map<String, String> replyHeaders, FileChannel file, long offset, long length) {
    answered = true;
    discardBody();
    context.runOnContext(
        v -> {
          if (response.ended() || response.closed()) {
            closeQuietly(file);
            return;
          }
          response.setStatusCode(status);
          replyHeaders.forEach(response::putHeader);
          // what sendFile would set only after ending() has told the access log
          response.putHeader("Content-Length", Long.toString(length));
          ending();
          response
              .sendFile(file, offset, length)
              .onComplete(
                  ar -> {
                    closeQuietly(file);
                    if (ar.failed() && !response.closed()) {
                      response.reset();
                    }
                  });
        });
  }

  private static void closeQuietly(FileChannel file) {
    try {
      file.close();
    } catch (IOException e) {
      // read-only: closing loses nothing
    }
  }

  private void awaitDrain() throws IOException {
    if (!response.writeQueueFull()) {
      return;
    }
    CompletableFuture<Void> drained = new CompletableFuture<>();
    synchronized (drainLock) {
      drain = drained;
    }
    context.runOnContext(
        v -> {
          if (!response.writeQueueFull() || closed) {
            drained.complete(null);
          } else {
            response.drainHandler(x -> drained.complete(null));
          }
        });
    await(drained);
    synchronized (drainLock) {
      drain = null;
    }
  }

  private static void await(CompletableFuture<Void> future) throws IOException {
    try {
      future.get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sending a response");
    } catch (ExecutionException e) {
      throw new IOException("sending the response failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(
          "the client read nothing for " + DRAIN_TIMEOUT_SECONDS + " s; giving up on the response");
    }
  }

  /** Drops whatever of the request body was not read, so the connection can be reused. */
  void discardBody() {
    if (body != null) {
      body.discard();
    }
  }

  /** Closes the connection (after a failure in the middle of a streamed response). */
  void abort() {
    context.runOnContext(
        v -> {
          if (!response.ended()) {
            response.reset();
          }
        });
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
