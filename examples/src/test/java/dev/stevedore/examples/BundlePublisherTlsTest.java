package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.remote.AuthenticationException;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.DockerConfigStore;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Example 1 against a registry with a self-signed certificate and basic auth, credentials from a
 * docker config.
 */
@Timeout(60)
class BundlePublisherTlsTest {
  private static final Path DIR = TestDirs.create("bundle-tls");
  private static final RegistryConfig.Tls CERTIFICATE =
      TestDirs.unchecked(() -> AuthFixtures.selfSignedCertificate(DIR));

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder()
              .tls(CERTIFICATE.certificate(), CERTIFICATE.key())
              .htpasswd(
                  "stevedore-examples",
                  TestDirs.unchecked(
                      () ->
                          AuthFixtures.htpasswd(
                              DIR.resolve("htpasswd"), Map.of("publisher", "pa55"))))
              .build());

  @TempDir Path temp;

  private BundlePublisher.Bundle bundle() throws Exception {
    Path site = Files.createDirectories(temp.resolve("site"));
    Files.writeString(site.resolve("index.html"), "<p>over tls</p>");
    return new BundlePublisher.Bundle(
        site,
        null,
        "application/vnd.example.site.v1",
        Map.of(Annotations.VERSION, "1"),
        Instant.parse("2024-01-01T00:00:00Z"));
  }

  @Test
  void publishesOverInsecureTlsWithDockerConfigCredentials() throws Exception {
    String host = REGISTRY.registry().hostPort();
    Path config = temp.resolve("config.json");
    Files.writeString(
        config,
        "{\"auths\":{\""
            + host
            + "\":{\"auth\":\""
            + Base64.getEncoder().encodeToString("publisher:pa55".getBytes(StandardCharsets.UTF_8))
            + "\"}}}");
    RegistryConnection connection =
        new RegistryConnection(
            RegistryConnection.Transport.INSECURE_TLS, DockerConfigStore.open(config));

    BundlePublisher.Published published =
        BundlePublisher.publish(
            bundle(),
            PublishTarget.parse("oci://" + host + "/secure/site:v1", "latest"),
            connection,
            null);

    try (Repository repository =
        Repository.builder()
            .registry(host)
            .name("secure/site")
            .trustCertificates(CERTIFICATE.certificate())
            .credentials(StaticCredentials.of(host, Credential.basic("publisher", "pa55")))
            .build()) {
      assertThat(repository.resolve("v1").digest()).isEqualTo(published.manifest().digest());
    }
  }

  @Test
  void withoutCredentialsThePushIsRefusedSayingToLogIn() throws Exception {
    RegistryConnection connection =
        new RegistryConnection(
            RegistryConnection.Transport.INSECURE_TLS,
            DockerConfigStore.open(temp.resolve("empty.json")));
    BundlePublisher.Bundle bundle = bundle();
    PublishTarget target =
        PublishTarget.parse("oci://" + REGISTRY.registry().hostPort() + "/secure/site", "v1");
    assertThatThrownBy(() -> BundlePublisher.publish(bundle, target, connection, null))
        .satisfies(
            e ->
                assertThat(ContentException.find(e, AuthenticationException.class))
                    .hasValueSatisfying(
                        auth ->
                            assertThat(auth.reason())
                                .isEqualTo(AuthenticationException.Reason.CREDENTIALS_REQUIRED)));
  }
}
