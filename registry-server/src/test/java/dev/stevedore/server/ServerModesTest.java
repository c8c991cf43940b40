package dev.stevedore.server;

import static dev.stevedore.server.Http.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Digest;
import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options of the server: read-only, deletes off, basic auth from htpasswd, TLS, the bind address.
 */
@Timeout(60)
class ServerModesTest {
  @TempDir Path temp;

  // Started by each test before use; @AfterEach stops it only if started.
  @SuppressWarnings("NullAway.Init")
  private RegistryServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path layoutWithOneBlob(byte[] bytes) throws Exception {
    return layoutWithOneBlob(temp, bytes);
  }

  /** A root of layouts under {@code temp} whose repository modes/app holds {@code bytes}. */
  static Path layoutWithOneBlob(Path temp, byte[] bytes) throws IOException {
    Path root = temp.resolve("layouts");
    try (RegistryServer writer =
        RegistryServer.builder().repositories(RepositoryProvider.ociLayouts(root)).start()) {
      assertThat(new Http(writer.url()).pushBlob("modes/app", bytes).statusCode()).isEqualTo(201);
    }
    return root;
  }

  @Test
  void aBigBlobSentFromAFileArrivesWholeAndInRanges() throws Exception {
    byte[] bytes = new byte[3 * 1024 * 1024 + 123];
    new java.util.Random(7).nextBytes(bytes);
    Path root = layoutWithOneBlob(bytes);
    server = RegistryServer.builder().repositories(RepositoryProvider.ociLayouts(root)).start();
    Http http = new Http(server.url());
    String path = "/v2/modes/app/blobs/" + Digest.sha256(bytes);

    assertThat(http.get(path).body()).isEqualTo(bytes);
    // a range that does not start at the start, and one from the end
    var part = http.get(path, "Range", "bytes=262000-262300");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 262000, 262301));
    var tail = http.get(path, "Range", "bytes=-100");
    assertThat(tail.body())
        .isEqualTo(java.util.Arrays.copyOfRange(bytes, bytes.length - 100, bytes.length));
  }

  @Test
  void theAccessLogGivesTheSizeOfABlobSentFromAFile() throws Exception {
    byte[] bytes = Fixtures.utf8("sent from the file");
    Path root = layoutWithOneBlob(bytes);
    java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.ociLayouts(root))
            .accessLog(lines::add)
            .start();
    Http http = new Http(server.url());
    String path = "/v2/modes/app/blobs/" + Digest.sha256(bytes);

    assertThat(http.get(path).body()).isEqualTo(bytes);
    var part = http.get(path, "Range", "bytes=5-8");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 5, 9));
    assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 5-8/" + bytes.length);

    assertThat(lines)
        .anySatisfy(
            line -> assertThat(line).contains("GET " + path + " 200 " + bytes.length + " B "))
        .anySatisfy(line -> assertThat(line).contains("GET " + path + " 206 4 B "));
  }

  @Test
  void aReadOnlyServerServesButRefusesEveryWrite() throws Exception {
    byte[] bytes = Fixtures.utf8("served as it is");
    Path root = layoutWithOneBlob(bytes);
    server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.ociLayouts(root))
            .readOnly()
            .start();
    Http http = new Http(server.url());

    assertThat(http.get("/v2/modes/app/blobs/" + Digest.sha256(bytes)).body()).isEqualTo(bytes);
    HttpResponse<byte[]> part =
        http.get("/v2/modes/app/blobs/" + Digest.sha256(bytes), "Range", "bytes=7-8");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo("as");
    assertError(http.pushBlob("modes/app", Fixtures.utf8("new")), 405, "UNSUPPORTED");
    assertError(http.send("POST", "/v2/modes/app/blobs/uploads/", new byte[0]), 405, "UNSUPPORTED");
    assertError(http.delete("/v2/modes/app/blobs/" + Digest.sha256(bytes)), 405, "UNSUPPORTED");
    assertThat(http.head("/v2/modes/app/blobs/" + Digest.sha256(bytes)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void deletesCanBeSwitchedOff() throws Exception {
    server =
        RegistryServer.builder().repositories(RepositoryProvider.memory()).disableDeletes().start();
    Http http = new Http(server.url());
    byte[] bytes = Fixtures.utf8("kept");
    http.pushBlob("modes/app", bytes);

    assertError(http.delete("/v2/modes/app/blobs/" + Digest.sha256(bytes)), 405, "UNSUPPORTED");
    assertThat(http.head("/v2/modes/app/blobs/" + Digest.sha256(bytes)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void htpasswdBasicAuthIsRequiredEverywhere() throws Exception {
    Path htpasswd = AuthFixtures.htpasswd(temp.resolve("htpasswd"), Map.of("alice", "s3cret"));
    server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.memory())
            .htpasswd(htpasswd)
            .start();
    String good =
        "Basic "
            + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    String bad =
        "Basic "
            + Base64.getEncoder().encodeToString("alice:wrong".getBytes(StandardCharsets.UTF_8));

    HttpResponse<byte[]> anonymous = new Http(server.url()).get("/v2/");
    HttpResponse<byte[]> wrong = new Http(server.url(), Map.of("Authorization", bad)).get("/v2/");
    Http alice = new Http(server.url(), Map.of("Authorization", good));

    assertError(anonymous, 401, "UNAUTHORIZED");
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    assertError(wrong, 401, "UNAUTHORIZED");
    assertThat(alice.get("/v2/").statusCode()).isEqualTo(200);
    assertThat(alice.pushBlob("modes/app", Fixtures.utf8("x")).statusCode()).isEqualTo(201);
    assertError(new Http(server.url()).get("/v2/modes/app/tags/list"), 401, "UNAUTHORIZED");
  }

  @Test
  void tlsIsServedFromPemFiles() throws Exception {
    RegistryConfig.Tls tls = AuthFixtures.selfSignedCertificate(temp.resolve("tls"));
    server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.memory())
            .tls(tls.certificate(), tls.key())
            .start();

    HttpClient client = HttpClient.newBuilder().sslContext(trusting(tls.certificate())).build();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/v2/")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(server.url().getScheme()).isEqualTo("https");
    assertThat(response.statusCode()).isEqualTo(200);
  }

  /** An SSL context that trusts the one self-signed certificate in the PEM file. */
  static SSLContext trusting(Path certificate) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      store.setCertificateEntry(
          "registry", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  @Test
  void portZeroPicksAFreePortAndABusyPortIsAClearError() throws Exception {
    server = RegistryServer.builder().repositories(RepositoryProvider.memory()).port(0).start();

    assertThat(server.port()).isPositive();
    assertThat(server.url().toString()).isEqualTo("http://127.0.0.1:" + server.port());
    assertThatThrownBy(
            () ->
                RegistryServer.builder()
                    .repositories(RepositoryProvider.memory())
                    .port(server.port())
                    .start())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(":" + server.port());
  }

  @Test
  void aSingleLayoutIsServedUnderItsNameAndOtherNamesAreRefused() throws Exception {
    byte[] bytes = Fixtures.utf8("one layout");
    Path root = layoutWithOneBlob(bytes);
    server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.ociLayout("mirror", root.resolve("modes/app")))
            .start();
    Http http = new Http(server.url());

    assertThat(http.get("/v2/mirror/blobs/" + Digest.sha256(bytes)).body()).isEqualTo(bytes);
    assertError(http.pushBlob("other", bytes), 403, "DENIED");
    assertThat(Http.json(http.get("/v2/_catalog")).path("repositories").toString())
        .isEqualTo("[\"mirror\"]");
  }
}
