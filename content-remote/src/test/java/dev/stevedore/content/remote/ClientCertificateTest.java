package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.TestDirs;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutual TLS: an HTTPS endpoint that demands a client certificate (distribution's {@code
 * http.tls.clientcas}, here a small Vert.x server answering {@code GET /v2/}) accepts the client
 * that presents the configured certificate and turns away one that does not.
 */
@Timeout(60)
class ClientCertificateTest {
  private static final Path DIR = TestDirs.create("mtls");
  private static RegistryConfig.Tls server;
  private static RegistryConfig.Tls client;
  private static Vertx vertx;
  private static HttpServer https;

  @BeforeAll
  static void start() throws Exception {
    server = AuthFixtures.selfSignedCertificate(DIR.resolve("server"));
    client = AuthFixtures.selfSignedCertificate(DIR.resolve("client"));
    vertx = Vertx.vertx();
    https =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setSsl(true)
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setKeyCertOptions(
                        new PemKeyCertOptions()
                            .setCertPath(server.certificate().toString())
                            .setKeyPath(server.key().toString()))
                    .setClientAuth(ClientAuth.REQUIRED)
                    .setTrustOptions(
                        new PemTrustOptions().addCertPath(client.certificate().toString())))
            .requestHandler(
                request ->
                    request
                        .response()
                        .putHeader("Docker-Distribution-API-Version", "registry/2.0")
                        .end("{}"))
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Registry.Builder builder() {
    return Registry.builder()
        .host("127.0.0.1:" + https.actualPort())
        .trustCertificates(server.certificate())
        .retryPolicy(RetryPolicy.none());
  }

  @Test
  void theConfiguredClientCertificateIsPresented() throws Exception {
    try (Registry registry =
        builder().clientCertificate(client.certificate(), client.key()).build()) {
      registry.ping();
    }
  }

  @Test
  void withoutAClientCertificateTheServerRefuses() {
    try (Registry registry = builder().build()) {
      assertThatThrownBy(registry::ping).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aKeyFileWithoutAPemBlockFailsAtBuild() throws Exception {
    Path notPem = Files.writeString(DIR.resolve("not-a-key.txt"), "not a key");

    assertThatThrownBy(() -> builder().clientCertificate(client.certificate(), notPem).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no PEM block");
    assertThat(notPem).exists();
  }
}
