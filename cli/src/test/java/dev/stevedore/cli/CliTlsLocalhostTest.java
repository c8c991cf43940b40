package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on loopback: a docker-registry serving HTTPS on 127.0.0.1 (self-signed certificate). Plain
 * HTTP is automatic for loopback only when no TLS option is given; the errors for a protocol
 * mismatch name the flag that fixes it.
 */
@Timeout(120)
class CliTlsLocalhostTest {
  private static final Path DIR = TestDirs.create("cli-tls");
  private static final RegistryConfig.Tls CERTIFICATE =
      TestDirs.unchecked(() -> AuthFixtures.selfSignedCertificate(DIR));

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder().tls(CERTIFICATE.certificate(), CERTIFICATE.key()).build());

  @RegisterExtension static final RegistryExtension PLAIN = new RegistryExtension();

  @TempDir Path dir;
  private CliRunner cli;
  private String host;

  @BeforeEach
  void setUp() throws Exception {
    Path src = dir.resolve("src");
    DemoCommand.writeSample(src);
    cli = new CliRunner(src, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    host = REGISTRY.registry().hostPort();
  }

  @Test
  void aCaFileMakesHttpsWorkOnLoopback() {
    CliRunner.Result push =
        cli.run(
            "--ca-file",
            CERTIFICATE.certificate().toString(),
            "push",
            host + "/tls/ca:v1",
            "README.txt");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    CliRunner.Result pull =
        cli.run(
            "--ca-file",
            CERTIFICATE.certificate().toString(),
            "pull",
            host + "/tls/ca:v1",
            "-o",
            dir.resolve("out").toString());
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
  }

  @Test
  void insecureMakesHttpsWorkOnLoopback() {
    CliRunner.Result push = cli.run("--insecure", "push", host + "/tls/insecure:v1", "README.txt");
    assertThat(push.exitCode()).as(push.toString()).isZero();
  }

  @Test
  void localhostNameWorksWithTlsAndACaFile() {
    String localhost = "localhost:" + REGISTRY.registry().port();
    CliRunner.Result push =
        cli.run(
            "--tls",
            "--ca-file",
            CERTIFICATE.certificate().toString(),
            "push",
            localhost + "/tls/localhost:v1",
            "README.txt");
    assertThat(push.exitCode()).as(push.toString()).isZero();
  }

  @Test
  void plainHttpToAnHttpsPortSaysToUseTls() {
    CliRunner.Result push = cli.run("push", host + "/tls/plain:v1", "README.txt");
    assertThat(push.exitCode()).as(push.toString()).isEqualTo(1);
    assertThat(push.err()).contains("HTTPS").contains("--tls").contains("--ca-file");
  }

  @Test
  void httpsToAPlainHttpPortSaysToUsePlainHttp() {
    CliRunner.Result push =
        cli.run("--tls", "push", PLAIN.registry().hostPort() + "/tls/reverse:v1", "README.txt");
    assertThat(push.exitCode()).as(push.toString()).isEqualTo(1);
    assertThat(push.err()).contains("plain HTTP").contains("--plain-http");
  }
}
