package dev.stevedore.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How to reach the registries of one side of a command: credentials given on the command line and
 * TLS settings. A copy has two (source and destination), so a password given for one registry is
 * never sent to the other.
 *
 * @param username the user name, or null for the docker config's credentials
 * @param password the password given with {@code -p}, or null
 * @param passwordStdin whether the password is read from standard input
 * @param plainHttp true: plain HTTP; false: HTTPS even for loopback; null: plain HTTP for loopback
 *     only
 * @param insecure skip TLS certificate verification
 * @param caFile extra CA certificates, or null
 * @param registryConfig the docker config file, or null for the default one
 * @param headers extra request headers, {@code Name: value} as given with {@code -H}
 * @param certFile a client certificate (PEM) for mutual TLS, or null
 * @param keyFile the client certificate's private key (PEM), or null
 * @param listing the page limits of listings (tags, referrers, repositories)
 */
record Connection(
    @Nullable String username,
    @Nullable String password,
    boolean passwordStdin,
    @Nullable Boolean plainHttp,
    boolean insecure,
    @Nullable Path caFile,
    @Nullable Path registryConfig,
    List<String> headers,
    @Nullable Path certFile,
    @Nullable Path keyFile,
    Listing listing) {

  /**
   * The page limits of listings, from {@code --max-list-pages} and {@code --list-page-size}.
   *
   * @param maxPages the most pages one listing may take, 0 for no limit
   * @param pageSize the entries asked for per page ({@code n}), 0 for the registry's choice
   */
  record Listing(int maxPages, int pageSize) {
    /** No limit, the registry's page size. */
    static final Listing DEFAULT = new Listing(0, 0);

    /**
     * The limits the flags give.
     *
     * @param maxPages {@code --max-list-pages}, null when not given
     * @param pageSize {@code --list-page-size}, null when not given
     * @return the limits
     * @throws UsageException when a value is not positive
     */
    static Listing of(@Nullable Integer maxPages, @Nullable Integer pageSize) {
      if (maxPages != null && maxPages < 1) {
        throw new UsageException("--max-list-pages must be at least 1, not " + maxPages);
      }
      if (pageSize != null && pageSize < 1) {
        throw new UsageException("--list-page-size must be at least 1, not " + pageSize);
      }
      return new Listing(maxPages == null ? 0 : maxPages, pageSize == null ? 0 : pageSize);
    }
  }

  Connection {
    headers = List.copyOf(headers);
    if ((certFile == null) != (keyFile == null)) {
      throw new UsageException("mutual TLS needs both --cert-file and --key-file");
    }
  }

  /**
   * The {@code -H} headers as name and value.
   *
   * @return the headers in order
   * @throws UsageException for a header without a name or colon
   */
  Map<String, String> parsedHeaders() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon <= 0 || header.substring(0, colon).isBlank()) {
        throw new UsageException("invalid header \"" + header + "\": expected -H 'Name: value'");
      }
      out.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
    return out;
  }

  /**
   * Whether a registry host is spoken to in plain HTTP: when asked ({@code --plain-http}), never
   * with {@code --tls}, else automatically for loopback ({@code localhost}, {@code 127.0.0.1},
   * {@code [::1]}) unless a TLS option is given ({@code --ca-file}, {@code --insecure}, {@code
   * --cert-file}).
   *
   * @param host the registry host with its port
   * @return true for plain HTTP
   */
  boolean plainHttpFor(String host) {
    if (plainHttp != null) {
      return plainHttp;
    }
    if (caFile != null || insecure || certFile != null) {
      return false; // a TLS option given: HTTPS, loopback included
    }
    String name = host;
    if (name.startsWith("[")) {
      return name.startsWith("[::1]");
    }
    int colon = name.indexOf(':');
    if (colon >= 0) {
      name = name.substring(0, colon);
    }
    return name.equals("localhost") || name.equals("127.0.0.1");
  }

  /** Whether credentials were given on the command line. */
  boolean hasCommandLineCredentials() {
    return username != null || password != null || passwordStdin;
  }
}
