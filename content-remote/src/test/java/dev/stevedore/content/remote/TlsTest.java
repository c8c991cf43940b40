package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTPS against a real registry with a self-signed certificate (SAN 127.0.0.1, localhost). */
@Timeout(60)
class TlsTest {
  private static final Path DIR = TestDirs.create("tls");
  private static final RegistryConfig.Tls CERTIFICATE =
      TestDirs.unchecked(() -> AuthFixtures.selfSignedCertificate(DIR));

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder().tls(CERTIFICATE.certificate(), CERTIFICATE.key()).build());

  private Repository.Builder builder(String name) {
    return Repository.builder().registry(REGISTRY.registry().hostPort()).name(name);
  }

  @Test
  void anUntrustedCertificateFailsWithAMessageSayingHowToTrustIt() throws Exception {
    try (Repository repo = builder("tls/untrusted").retryPolicy(RetryPolicy.none()).build()) {
      assertThatThrownBy(() -> repo.resolve("v1"))
          .isInstanceOf(ContentException.class)
          .hasMessageContaining("TLS handshake failed")
          .hasMessageContaining("trustCertificates");
    }
  }

  @Test
  void aTrustedCaCertificateWorks() throws Exception {
    try (Repository repo =
        builder("tls/trusted").trustCertificates(CERTIFICATE.certificate()).build()) {
      Descriptor blob =
          Fixtures.pushBlob(repo, "application/octet-stream", Fixtures.utf8("over tls"));
      assertThat(StorageContractSupport.readAll(repo, blob)).isEqualTo(Fixtures.utf8("over tls"));
    }
  }

  @Test
  void insecureModeSkipsVerification() throws Exception {
    try (Repository repo = builder("tls/insecure").insecure().build()) {
      Descriptor blob =
          Fixtures.pushBlob(repo, "application/octet-stream", Fixtures.utf8("insecure"));
      assertThat(repo.exists(blob)).isTrue();
    }
  }

  @Test
  void aCaFileWithoutACertificateIsAClearError() {
    assertThatThrownBy(() -> builder("tls/bad").trustCertificates(CERTIFICATE.key()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no PEM certificate");
  }
}
