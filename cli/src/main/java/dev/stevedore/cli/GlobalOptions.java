package dev.stevedore.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes: output, diagnostics, registry connection and credentials. */
final class GlobalOptions {
  /** Output formats. */
  enum Format {
    /** Plain text for people. */
    text,
    /** JSON on stdout for programs, with oras 1.2's field names. */
    json,
    /** discover: the referrers as a tree (the text default). */
    tree,
    /** discover: the referrers as a table. */
    table;

    static Format parse(String value) {
      String v = value.toLowerCase(Locale.ROOT);
      if (v.startsWith("go-template")) {
        throw new UsageException(
            "--format go-template is not supported (Go templates are specific to oras);"
                + " use --format json and a JSON tool such as jq");
      }
      for (Format f : values()) {
        if (f.name().equals(v)) {
          return f;
        }
      }
      throw new UsageException("unknown --format \"" + value + "\": use text, json, tree or table");
    }
  }

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-d", "--debug"},
      description = "Print stack traces and the HTTP exchange (without secrets).")
  boolean debug;

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-v", "--verbose"},
      description = "Print more about what happens (informational messages).")
  boolean verbose;

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-q", "--quiet"},
      description = "Print only the result line.")
  boolean quiet;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "Output format: text, json (oras 1.2's JSON); discover also takes tree and table."
              + " go-template is not supported.")
  String format = "text";

  @Option(
      scope = ScopeType.INHERIT,
      names = "--no-tty",
      description = "Never draw progress bars, even on a terminal.")
  boolean noTty;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--oci-layout",
      description = "Targets are OCI layout paths: PATH[:tag|@digest] (same as oci:PATH...).")
  boolean ociLayout;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--plain-http",
      description =
          "Talk plain HTTP to registries (automatic for localhost and 127.0.0.1 unless --tls, --ca-file or --insecure is given).")
  boolean plainHttp;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--tls",
      description = "Use HTTPS even for localhost and 127.0.0.1.")
  boolean forceTls;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--insecure",
      description = "Skip TLS certificate verification (dangerous).")
  boolean insecure;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--ca-file",
      paramLabel = "PEM",
      description = "Trust the CA certificates in this PEM file too.")
  @Nullable Path caFile;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--registry-config",
      paramLabel = "FILE",
      description =
          "The docker config file with saved credentials (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json).")
  @Nullable Path registryConfig;

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-H", "--header"},
      paramLabel = "'Name: value'",
      description = "An extra HTTP header for the registry (repeatable).")
  List<String> headers = new ArrayList<>();

  @Option(
      scope = ScopeType.INHERIT,
      names = "--cert-file",
      paramLabel = "PEM",
      description = "Client certificate for mutual TLS (with --key-file).")
  @Nullable Path certFile;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--key-file",
      paramLabel = "PEM",
      description = "Private key of --cert-file.")
  @Nullable Path keyFile;

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-u", "--username"},
      description =
          "Registry user name (default: credentials from the docker config). For copy: the destination's only;"
              + " use --from-username for the source.")
  @Nullable String username;

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-p", "--password"},
      description =
          "Registry password or identity token. Insecure (shell history, process list): prefer --password-stdin.")
  @Nullable String password;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--password-stdin",
      description = "Read the registry password or identity token from standard input.")
  boolean passwordStdin;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--max-list-pages",
      paramLabel = "N",
      description =
          "Fail a listing (repo tags, discover's referrers) that needs more than N pages"
              + " from the registry (default: no limit), against a registry that pages forever.")
  @Nullable Integer maxListPages;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--list-page-size",
      paramLabel = "N",
      description =
          "Ask the registry for N entries per page of a listing (default: the registry's choice).")
  @Nullable Integer listPageSize;

  private @Nullable Format parsedFormat;

  Format format() {
    if (parsedFormat == null) {
      parsedFormat = Format.parse(format);
    }
    return parsedFormat;
  }

  boolean json() {
    return format() == Format.json;
  }

  /**
   * The connection settings of every registry a one-target command talks to; for copy, the
   * destination's.
   *
   * @return the settings
   */
  Connection connection() {
    return new Connection(
        username,
        password,
        passwordStdin,
        plainHttp ? Boolean.TRUE : forceTls ? Boolean.FALSE : null,
        insecure,
        caFile,
        registryConfig,
        headers,
        certFile,
        keyFile,
        Connection.Listing.of(maxListPages, listPageSize));
  }
}
