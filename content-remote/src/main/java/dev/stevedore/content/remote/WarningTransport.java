package dev.stevedore.content.remote;

import io.vertx.core.Future;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The warnings layer of the HTTP seam: each {@code Warning} header with code 299 of a response
 * ({@code 299 <agent> "<text>" ["<date>"]}, RFC 7234, as the distribution spec uses it for
 * deprecations) goes to the warning handler, as oras-go's {@code HandleWarning} does. Other codes
 * and malformed values are ignored. A handler that throws is logged, never fails the request.
 */
final class WarningTransport implements HttpTransport {
  private static final System.Logger LOG = System.getLogger(WarningTransport.class.getName());

  /** warn-code SP warn-agent SP quoted warn-text [SP quoted warn-date]. */
  private static final Pattern WARNING =
      Pattern.compile(
          "^\\s*(\\d{3})\\s+(\\S+)\\s+\"((?:[^\"\\\\]|\\\\.)*)\"(?:\\s+\"[^\"]*\")?\\s*$");

  private final HttpTransport next;
  private final Consumer<RegistryWarning> handler;

  WarningTransport(HttpTransport next, Consumer<RegistryWarning> handler) {
    this.next = next;
    this.handler = handler;
  }

  @Override
  public Future<HttpResponse> send(HttpRequest request) {
    return next.send(request)
        .andThen(
            result -> {
              if (result.succeeded()) {
                for (String value : result.result().headers("Warning")) {
                  parse(result.result().request(), value).ifPresent(this::deliver);
                }
              }
            });
  }

  private void deliver(RegistryWarning warning) {
    try {
      handler.accept(warning);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the warning handler failed on \"" + warning.text() + "\": " + e);
    }
  }

  /**
   * A {@code 299} warning of a response to {@code request}, or empty for other codes and malformed
   * values.
   */
  static Optional<RegistryWarning> parse(HttpRequest request, String value) {
    Matcher m = WARNING.matcher(value);
    if (!m.matches() || !"299".equals(m.group(1))) {
      return Optional.empty();
    }
    String text = m.group(3).replaceAll("\\\\(.)", "$1");
    return Optional.of(
        new RegistryWarning(request.method().name(), request.uri(), m.group(2), text));
  }
}
