package dev.stevedore.testing;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of a test registry (CNCF distribution): deletes enabled by default, and, for
 * tests that need them, htpasswd basic auth, token auth or TLS. Immutable; build with {@link
 * #builder()}.
 *
 * <p>Only the default configuration can be served by an external registry ({@code
 * STEVEDORE_TEST_REGISTRY}); the others need a registry process of their own.
 */
public final class RegistryConfig {
  private final boolean deleteEnabled;
  private final @Nullable Htpasswd htpasswd;
  private final @Nullable TokenAuth tokenAuth;
  private final @Nullable Tls tls;
  private final @Nullable Path clientCa;

  private RegistryConfig(Builder b) {
    this.deleteEnabled = b.deleteEnabled;
    this.htpasswd = b.htpasswd;
    this.tokenAuth = b.tokenAuth;
    this.tls = b.tls;
    this.clientCa = b.clientCa;
    if (clientCa != null && tls == null) {
      throw new IllegalStateException("client certificates need TLS: set tls(...) too");
    }
  }

  /**
   * The default: plain HTTP, no auth, deletes enabled.
   *
   * @return the default configuration
   */
  public static RegistryConfig defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether an external registry, configured by someone else, can stand in for this configuration.
   *
   * @return true for the default configuration
   */
  public boolean isDefault() {
    return deleteEnabled && htpasswd == null && tokenAuth == null && tls == null;
  }

  /**
   * Whether the registry speaks TLS.
   *
   * @return true when a certificate is configured
   */
  public boolean tls() {
    return tls != null;
  }

  /**
   * The distribution configuration file for a registry storing under {@code storage}, listening on
   * a free loopback port.
   *
   * @param storage the storage root directory
   * @param secret the {@code http.secret}
   * @return the YAML text
   */
  public String toYaml(Path storage, String secret) {
    StringBuilder y = new StringBuilder();
    y.append("version: 0.1\n");
    y.append("log:\n  level: info\n  accesslog:\n    disabled: true\n");
    y.append("storage:\n  filesystem:\n    rootdirectory: ")
        .append(quote(storage.toString()))
        .append('\n');
    y.append("  delete:\n    enabled: ").append(deleteEnabled).append('\n');
    y.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
    y.append("http:\n  addr: 127.0.0.1:0\n  secret: ").append(quote(secret)).append('\n');
    if (tls != null) {
      y.append("  tls:\n    certificate: ")
          .append(quote(tls.certificate().toString()))
          .append('\n');
      y.append("    key: ").append(quote(tls.key().toString())).append('\n');
      if (clientCa != null) {
        y.append("    clientcas:\n      - ").append(quote(clientCa.toString())).append('\n');
      }
    }
    if (htpasswd != null) {
      y.append("auth:\n  htpasswd:\n    realm: ").append(quote(htpasswd.realm())).append('\n');
      y.append("    path: ").append(quote(htpasswd.file().toString())).append('\n');
    } else if (tokenAuth != null) {
      y.append("auth:\n  token:\n    realm: ").append(quote(tokenAuth.realm())).append('\n');
      y.append("    service: ").append(quote(tokenAuth.service())).append('\n');
      y.append("    issuer: ").append(quote(tokenAuth.issuer())).append('\n');
      y.append("    rootcertbundle: ")
          .append(quote(tokenAuth.rootCertBundle().toString()))
          .append('\n');
    }
    return y.toString();
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public String toString() {
    return "RegistryConfig[delete="
        + deleteEnabled
        + (htpasswd != null ? ", htpasswd " + htpasswd.realm() + " " + htpasswd.file() : "")
        + (tokenAuth != null ? ", token auth" : "")
        + (tls != null ? ", tls" : "")
        + (clientCa != null ? ", client certificates" : "")
        + "]";
  }

  /**
   * Basic auth from an htpasswd file (bcrypt entries, as {@code htpasswd -B} writes).
   *
   * @param realm the realm
   * @param file the htpasswd file
   */
  public record Htpasswd(String realm, Path file) {
    /** Validates the parts. */
    public Htpasswd {
      Objects.requireNonNull(realm, "realm");
      Objects.requireNonNull(file, "file");
    }
  }

  /**
   * Bearer token auth delegated to a token server.
   *
   * @param realm the token endpoint URL
   * @param service the service name
   * @param issuer the token issuer
   * @param rootCertBundle the certificates that sign tokens
   */
  public record TokenAuth(String realm, String service, String issuer, Path rootCertBundle) {
    /** Validates the parts. */
    public TokenAuth {
      Objects.requireNonNull(realm, "realm");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(rootCertBundle, "rootCertBundle");
    }
  }

  /**
   * TLS with a certificate and its key (PEM).
   *
   * @param certificate the certificate chain
   * @param key the private key
   */
  public record Tls(Path certificate, Path key) {
    /** Validates the parts. */
    public Tls {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
    }
  }

  /** Builds a {@link RegistryConfig}. */
  public static final class Builder {
    private boolean deleteEnabled = true;
    private @Nullable Htpasswd htpasswd;
    private @Nullable TokenAuth tokenAuth;
    private @Nullable Tls tls;
    private @Nullable Path clientCa;

    private Builder() {}

    /**
     * Refuse deletes (405), as a registry with {@code storage.delete.enabled: false} does.
     *
     * @return this builder
     */
    public Builder deletesDisabled() {
      this.deleteEnabled = false;
      return this;
    }

    /**
     * Require basic auth from an htpasswd file.
     *
     * @param realm the realm
     * @param file the htpasswd file
     * @return this builder
     */
    public Builder htpasswd(String realm, Path file) {
      this.htpasswd = new Htpasswd(realm, file);
      this.tokenAuth = null;
      return this;
    }

    /**
     * Require bearer tokens from a token server.
     *
     * @param auth the token auth settings
     * @return this builder
     */
    public Builder tokenAuth(TokenAuth auth) {
      this.tokenAuth = Objects.requireNonNull(auth, "auth");
      this.htpasswd = null;
      return this;
    }

    /**
     * Serve HTTPS.
     *
     * @param certificate the certificate chain (PEM)
     * @param key the private key (PEM)
     * @return this builder
     */
    public Builder tls(Path certificate, Path key) {
      this.tls = new Tls(certificate, key);
      return this;
    }

    /**
     * Require a client certificate signed by a CA in this file (mutual TLS, {@code
     * http.tls.clientcas}); needs {@link #tls(Path, Path)}.
     *
     * @param caCertificates the CA certificates (PEM)
     * @return this builder
     */
    public Builder clientCertificates(Path caCertificates) {
      this.clientCa = Objects.requireNonNull(caCertificates, "caCertificates");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     */
    public RegistryConfig build() {
      return new RegistryConfig(this);
    }
  }
}
