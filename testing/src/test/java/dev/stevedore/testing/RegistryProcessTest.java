package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The registry process: its own port, storage and config; stopped and cleaned up on close. */
@Timeout(30)
class RegistryProcessTest {

  private static Path binary() {
    Optional<Path> binary = RegistryProcess.findBinary();
    assumeThat(binary).as("docker-registry on PATH").isPresent();
    return binary.get();
  }

  @Test
  void closingStopsTheProcessAndDeletesItsDirectory() throws Exception {
    RegistryProcess process = RegistryProcess.start(binary(), RegistryConfig.defaults());
    Path directory = process.directory();
    int port = process.registry().port();
    assertThat(process.isAlive()).isTrue();

    process.close();

    assertThat(process.isAlive()).isFalse();
    assertThat(Files.exists(directory)).isFalse();
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(
                    new InetSocketAddress(
                        InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                    2000);
              }
            })
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void twoRegistriesGetTwoPorts() throws Exception {
    Path binary = binary();
    try (RegistryProcess one = RegistryProcess.start(binary, RegistryConfig.defaults());
        RegistryProcess two = RegistryProcess.start(binary, RegistryConfig.defaults())) {
      assertThat(one.registry().port()).isNotEqualTo(two.registry().port());
      assertThat(one.registry().storage()).isNotEqualTo(two.registry().storage());
    }
  }

  @Test
  void theDefaultConfigurationEnablesDeletesAndBindsLoopback() {
    String yaml = RegistryConfig.defaults().toYaml(Path.of("/tmp/storage"), "s3cret");
    assertThat(yaml)
        .contains("delete:\n    enabled: true")
        .contains("addr: 127.0.0.1:0")
        .contains("secret: \"s3cret\"")
        .contains("rootdirectory: \"/tmp/storage\"")
        .doesNotContain("auth:");
  }

  @Test
  void anHtpasswdConfigurationAsksForBasicAuth() {
    RegistryConfig config =
        RegistryConfig.builder().htpasswd("test", Path.of("/tmp/htpasswd")).build();
    assertThat(config.isDefault()).isFalse();
    assertThat(config.toYaml(Path.of("/s"), "x"))
        .contains("auth:\n  htpasswd:\n    realm: \"test\"")
        .contains("path: \"/tmp/htpasswd\"");
  }

  @Test
  void aTlsConfigurationServesHttps() {
    RegistryConfig config =
        RegistryConfig.builder().tls(Path.of("/c.pem"), Path.of("/k.pem")).build();
    assertThat(config.tls()).isTrue();
    assertThat(config.toYaml(Path.of("/s"), "x"))
        .contains("tls:\n    certificate: \"/c.pem\"\n    key: \"/k.pem\"");
  }

  @Test
  void anExternalRegistryIsHostColonPort() {
    TestRegistry registry = RegistryExtension.parseExternal("10.1.2.3:5000");
    assertThat(registry.hostPort()).isEqualTo("10.1.2.3:5000");
    assertThat(registry.source()).isEqualTo(TestRegistry.Source.ENVIRONMENT);
    assertThat(registry.storage()).isNull();
  }

  @Test
  void withoutRegistryTheFailureSaysWhatToInstall() {
    assertThatThrownBy(
            () -> RegistryExtension.start(RegistryConfig.defaults(), null, Optional.empty()))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining("apt-get install docker-registry")
        .hasMessageContaining(RegistryExtension.ENVIRONMENT_VARIABLE);
  }

  @Test
  void theEnvironmentsRegistryIsUsedBeforeTheBinary() {
    RegistryExtension.Handle handle =
        RegistryExtension.start(
            RegistryConfig.defaults(),
            "127.0.0.1:5999",
            Optional.of(Path.of("/nonexistent/docker-registry")));
    assertThat(handle.registry().hostPort()).isEqualTo("127.0.0.1:5999");
    handle.close();
  }

  @Test
  void aConfigurationWithAuthNeverUsesTheEnvironmentsRegistry() {
    RegistryConfig auth = RegistryConfig.builder().htpasswd("r", Path.of("/tmp/h")).build();
    assertThatThrownBy(() -> RegistryExtension.start(auth, "127.0.0.1:5999", Optional.empty()))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining("always needs");
  }

  @Test
  void aMalformedExternalRegistryIsAConfigurationError() {
    assertThatThrownBy(() -> RegistryExtension.parseExternal("localhost"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> RegistryExtension.parseExternal("localhost:http"))
        .isInstanceOf(ExtensionConfigurationException.class);
  }
}
