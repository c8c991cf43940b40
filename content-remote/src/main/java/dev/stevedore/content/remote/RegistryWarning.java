package dev.stevedore.content.remote;

import java.net.URI;
import java.util.Objects;

/**
 * A warning a registry sent with a response ({@code Warning: 299 <agent> "<text>"}, as the
 * distribution spec allows for deprecations and policy notices), handed to the {@linkplain
 * RegistryOptions.AbstractBuilder#warningHandler warning handler}.
 *
 * @param method the method of the request the response answered
 * @param url the URL of that request (never carries credentials)
 * @param agent the warn-agent, usually {@code -}
 * @param text the warning text, unquoted
 */
public record RegistryWarning(String method, URI url, String agent, String text) {
  /** Validates: nothing is null. */
  public RegistryWarning {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return method + " " + url + ": warning: " + text;
  }
}
