package dev.stevedore.content.remote;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS settings of a client: the JVM's trust store by default, plus extra CA certificates from PEM
 * files; or, on explicit request, no verification at all. Plain HTTP and insecure mode are logged
 * as a warning once per registry.
 */
final class Tls {
  private static final System.Logger LOG = System.getLogger(Tls.class.getName());
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /** Protects nothing secret: the in-memory store holds public CA certificates only. */
  private static final String STORE_PASSWORD = "stevedore";

  private Tls() {}

  static void configure(HttpClientOptions options, String registry, RegistryOptions settings) {
    if (settings.plainHttp()) {
      if (isLoopback(registry)) {
        return;
      }
      warnOnce(
          "plain:" + registry,
          "talking plain HTTP to " + registry + ": traffic is neither encrypted nor authenticated");
      return;
    }
    if (settings.insecure()) {
      warnOnce(
          "insecure:" + registry,
          "TLS verification is off for "
              + registry
              + ": any server can impersonate it; use a CA file instead where you can");
      options.setTrustAll(true).setVerifyHost(false);
      return;
    }
    if (!settings.trustedCertificates().isEmpty()) {
      options.setTrustOptions(trustStore(settings.trustedCertificates()));
    }
    RegistryOptions.ClientCertificate client = settings.clientCertificate();
    if (client != null) {
      options.setKeyCertOptions(
          new PemKeyCertOptions()
              .setCertValue(read(client.certificate(), "client certificate"))
              .setKeyValue(read(client.key(), "client key")));
    }
  }

  /**
   * Reads a PEM file now, so that a missing or unreadable file fails at build time, not at the
   * first request.
   */
  private static Buffer read(Path file, String what) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + what + " file " + file, e);
    }
    String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN ")) {
      throw new IllegalArgumentException("the " + what + " file " + file + " holds no PEM block");
    }
    return Buffer.buffer(bytes);
  }

  /**
   * A trust store holding what the JVM trusts (its default trust managers' issuers, so {@code
   * javax.net.ssl.trustStore} is honoured) plus the certificates of the given PEM files.
   */
  static PfxOptions trustStore(List<Path> pemFiles) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate system : trustManager(null).getAcceptedIssuers()) {
        store.setCertificateEntry("system-" + i++, system);
      }
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Path pem : pemFiles) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
          certificates = factory.generateCertificates(in);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the CA file " + pem, e);
        } catch (CertificateException e) {
          throw new IllegalArgumentException(
              "the CA file " + pem + " holds no PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
          throw new IllegalArgumentException("the CA file " + pem + " holds no PEM certificate");
        }
        for (Certificate certificate : certificates) {
          store.setCertificateEntry("extra-" + i++, certificate);
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      store.store(bytes, STORE_PASSWORD.toCharArray());
      return new PfxOptions()
          .setValue(Buffer.buffer(bytes.toByteArray()))
          .setPassword(STORE_PASSWORD);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(@org.jspecify.annotations.Nullable KeyStore store)
      throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager available");
  }

  private static boolean isLoopback(String registry) {
    return registry.startsWith("localhost")
        || registry.startsWith("127.")
        || registry.startsWith("[::1]");
  }

  private static void warnOnce(String key, String message) {
    if (WARNED.add(key)) {
      LOG.log(Level.WARNING, message);
    }
  }
}
