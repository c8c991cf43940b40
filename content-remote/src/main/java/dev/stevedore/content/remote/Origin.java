package dev.stevedore.content.remote;

import java.net.URI;
import java.util.Locale;

/**
 * Scheme, host and port of a URL, with default ports made explicit: what must stay the same for a
 * URL the registry hands us (upload Location, paging Link) to be followed.
 *
 * @param scheme http or https
 * @param host the host, lower case
 * @param port the port
 */
record Origin(String scheme, String host, int port) {

  static Origin of(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equals(scheme) ? 443 : 80;
    }
    return new Origin(scheme, host, port);
  }

  boolean sameAs(URI uri) {
    return equals(of(uri));
  }

  @Override
  public String toString() {
    return scheme + "://" + host + ":" + port;
  }
}
