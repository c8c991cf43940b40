package dev.stevedore.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes: output, diagnostics, registry connection and credentials. */
final class GlobalOptions {
  /** Output formats. */
  enum Format {
    /** Plain text for people. */
    text,
    /** JSON on stdout for programs. */
    json
  }

  @Option(scope = ScopeType.INHERIT, names = "--debug", description = "Print stack traces and the HTTP exchange (without secrets).")
  boolean debug;

  @Option(scope = ScopeType.INHERIT, names = {"-q", "--quiet"}, description = "Print only the result.")
  boolean quiet;

  @Option(scope = ScopeType.INHERIT, names = "--format", paramLabel = "text|json", description = "Output format (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  @Option(scope = ScopeType.INHERIT, names = "--plain-http", description = "Talk plain HTTP to registries (automatic for localhost and 127.0.0.1 unless --tls, --ca-file or --insecure is given).")
  boolean plainHttp;

  @Option(scope = ScopeType.INHERIT, names = "--tls", description = "Use HTTPS even for localhost and 127.0.0.1.")
  boolean forceTls;

  @Option(scope = ScopeType.INHERIT, names = "--insecure", description = "Skip TLS certificate verification (dangerous).")
  boolean insecure;

  @Option(scope = ScopeType.INHERIT, names = "--ca-file", paramLabel = "PEM", description = "Trust the CA certificates in this PEM file too.")
  @Nullable Path caFile;

  @Option(scope = ScopeType.INHERIT, names = {"-u", "--username"}, description = "Registry user name (default: credentials from the docker config).")
  @Nullable String username;

  @Option(scope = ScopeType.INHERIT, names = {"-p", "--password"}, description = "Registry password; prefer --password-stdin.", hidden = true)
  @Nullable String password;

  @Option(scope = ScopeType.INHERIT, names = "--password-stdin", description = "Read the registry password from standard input.")
  boolean passwordStdin;

  /** Where warnings of the command go; set by {@link Main#execute} (not an option). */
  Warnings warnings = new Warnings(new java.io.PrintWriter(java.io.OutputStream.nullOutputStream()));

  boolean json() {
    return format == Format.json;
  }

  /**
   * Whether a registry host is spoken to in plain HTTP.
   *
   * @param host the registry host with its port
   * @return true for plain HTTP
   */
  /**
   * Whether to talk plain HTTP to a host: when asked ({@code --plain-http}), else automatically for
   * loopback ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) unless a TLS option is given
   * ({@code --tls}, {@code --ca-file}, {@code --insecure}).
   */
  boolean plainHttpFor(String host) {
    if (forceTls || caFile != null || insecure) {
      return false;
    }
    if (plainHttp) {
      return true;
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
}
