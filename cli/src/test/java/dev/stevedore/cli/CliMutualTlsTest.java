package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS: a docker-registry on 127.0.0.1 that requires a client certificate signed by its
 * client CA ({@code http.tls.clientcas}). With {@code --cert-file}/{@code --key-file} commands
 * work; without, the error says that the registry wants a client certificate and which flags give
 * one.
 */
@Timeout(120)
class CliMutualTlsTest {
  private static final Path DIR = TestDirs.create("cli-mtls");
  private static final RegistryConfig.Tls SERVER =
      TestDirs.unchecked(() -> AuthFixtures.selfSignedCertificate(DIR.resolve("server")));
  private static final Path CLIENT_CA = TestDirs.unchecked(() -> clientCa(DIR.resolve("ca")));

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder()
              .tls(SERVER.certificate(), SERVER.key())
              .clientCertificates(CLIENT_CA)
              .build());

  @TempDir Path dir;
  private CliRunner cli;
  private String repo;
  private Path clientCert;
  private Path clientKey;

  @BeforeEach
  void setUp() throws Exception {
    Path src = dir.resolve("src");
    DemoCommand.writeSample(src);
    cli = new CliRunner(src, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    repo = REGISTRY.registry().hostPort() + "/mtls/files";
    clientCert = DIR.resolve("ca/client.crt");
    clientKey = DIR.resolve("ca/client.key");
  }

  @Test
  void withAClientCertificateCommandsWork() {
    CliRunner.Result push =
        cli.run(
            "--ca-file",
            SERVER.certificate().toString(),
            "--cert-file",
            clientCert.toString(),
            "--key-file",
            clientKey.toString(),
            "push",
            repo + ":v1",
            "README.txt");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    CliRunner.Result resolve =
        cli.run(
            "--ca-file",
            SERVER.certificate().toString(),
            "--cert-file",
            clientCert.toString(),
            "--key-file",
            clientKey.toString(),
            "resolve",
            repo + ":v1");
    assertThat(resolve.exitCode()).as(resolve.toString()).isZero();
    assertThat(resolve.out()).startsWith("sha256:");
  }

  @Test
  void withoutOneTheErrorAsksForACertificate() {
    CliRunner.Result resolve =
        cli.run("--ca-file", SERVER.certificate().toString(), "resolve", repo + ":v1");
    assertThat(resolve.exitCode()).as(resolve.toString()).isEqualTo(Main.FAILED);
    assertThat(resolve.err())
        .contains("requires a client certificate")
        .contains("--cert-file")
        .contains("--key-file");
  }

  /** A client CA and a client certificate it signed (client.crt, client.key), with openssl. */
  private static Path clientCa(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path caCert = dir.resolve("client-ca.crt");
    Path caKey = dir.resolve("client-ca.key");
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=stevedore-test-client-ca",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        caKey.toString(),
        "-out",
        caCert.toString());
    openssl(
        dir,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=stevedore-test-client",
        "-keyout",
        dir.resolve("client.key").toString(),
        "-out",
        dir.resolve("client.csr").toString());
    Path extensions = dir.resolve("client.ext");
    Files.writeString(extensions, "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        dir.resolve("client.csr").toString(),
        "-CA",
        caCert.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        extensions.toString(),
        "-out",
        dir.resolve("client.crt").toString());
    return caCert;
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            "openssl "
                + String.join(" ", args)
                + " failed: "
                + Files.readString(dir.resolve("openssl.log")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
