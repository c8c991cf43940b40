package dev.stevedore.content.remote;

import io.vertx.core.Future;

/**
 * The one-method HTTP seam of the client. Every registry operation sends through it; layers such as
 * authentication, retry and logging wrap it (oras-go's {@code Client.Do}, OkHttp's interceptors).
 * The base layer ({@link VertxTransport}) follows redirects of GET and HEAD itself and drops the
 * {@code Authorization} header when a redirect leaves the registry's origin, so a layer that adds
 * credentials wraps the base and never leaks them to object storage.
 */
@FunctionalInterface
interface HttpTransport {
  /**
   * Sends a request.
   *
   * @param request the request
   * @return the response, its body paused until read or discarded
   */
  Future<HttpResponse> send(HttpRequest request);
}
