package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Digest;
import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs of a layout are sent from their files (zero-copy over plain HTTP, read and encrypted in
 * pieces over TLS): an empty one, whole and in ranges over TLS; and whatever becomes of a download
 * (read to its end, a range, or dropped by its client halfway), the server's process keeps no open
 * descriptor of the file afterwards (read from Linux's {@code /proc/self}: the server runs in this
 * JVM).
 */
@Timeout(120)
class FileDownloadsTest {
  @TempDir Path temp;

  @Test
  void anEmptyBlobFromAFileIsAnswered() throws Exception {
    byte[] empty = new byte[0];
    Path root = ServerModesTest.layoutWithOneBlob(temp, empty);
    try (RegistryServer server =
        RegistryServer.builder().repositories(RepositoryProvider.ociLayouts(root)).start()) {
      HttpResponse<byte[]> got =
          new Http(server.url()).get("/v2/modes/app/blobs/" + Digest.sha256(empty));

      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.headers().firstValue("Content-Length")).hasValue("0");
      assertThat(got.body()).isEmpty();
    }
  }

  @Test
  void overTlsABlobFromAFileArrivesWholeAndInRanges() throws Exception {
    byte[] bytes = Fixtures.randomBytes(3 * 1024 * 1024 + 99, 12);
    Path root = ServerModesTest.layoutWithOneBlob(temp, bytes);
    RegistryConfig.Tls tls = AuthFixtures.selfSignedCertificate(temp.resolve("tls"));
    try (RegistryServer server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.ociLayouts(root))
            .tls(tls.certificate(), tls.key())
            .start()) {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(ServerModesTest.trusting(tls.certificate()))
              .build();
      URI uri = URI.create(server.url() + "/v2/modes/app/blobs/" + Digest.sha256(bytes));

      HttpResponse<byte[]> whole =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> part =
          client.send(
              HttpRequest.newBuilder(uri).header("Range", "bytes=1000-1049000").build(),
              HttpResponse.BodyHandlers.ofByteArray());

      assertThat(whole.body()).isEqualTo(bytes);
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 1049001));
    }
    // closed by the transfers' completion, which the server's close waits for: no polling (a leaked
    // channel would be closed only by its cleaner, after a GC)
    assertThat(descriptorsOf(Digest.sha256(bytes).encoded()))
        .as("after the TLS downloads")
        .isEmpty();
  }

  @Test
  void noDownloadLeavesTheBlobOpenWhetherReadWholeInPartOrDropped() throws Exception {
    // far more than the socket buffers hold, so dropped clients go with most of it unsent
    byte[] bytes = Fixtures.randomBytes(48 << 20, 13);
    Digest digest = Digest.sha256(bytes);
    Path root = ServerModesTest.layoutWithOneBlob(temp, bytes);
    try (RegistryServer server =
        RegistryServer.builder().repositories(RepositoryProvider.ociLayouts(root)).start()) {
      Http http = new Http(server.url());
      String path = "/v2/modes/app/blobs/" + digest;
      for (int i = 0; i < 3; i++) {
        assertThat(Digest.sha256(http.get(path).body())).isEqualTo(digest);
        assertThat(http.get(path, "Range", "bytes=5000000-9000000").body())
            .isEqualTo(Arrays.copyOfRange(bytes, 5_000_000, 9_000_001));
      }
      assertThat(eventually(digest.encoded())).as("after whole and ranged downloads").isEmpty();

      List<Socket> dropped = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
          socket.setReceiveBufferSize(64 * 1024);
          socket.setSoTimeout(30_000);
          dropped.add(socket);
          socket
              .getOutputStream()
              .write(
                  ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
          InputStream in = socket.getInputStream();
          assertThat(SlowClientsTest.readHead(in)).startsWith("HTTP/1.1 200");
          assertThat(in.readNBytes(100_000)).hasSize(100_000);
        }
        // while they wait, unread, the server holds their files open
        assertThat(descriptorsOf(digest.encoded())).isNotEmpty();
      } finally {
        for (Socket socket : dropped) {
          socket.close();
        }
      }
      assertThat(eventually(digest.encoded())).as("after 8 clients went away").isEmpty();
      // and the server still answers
      assertThat(Digest.sha256(http.get(path).body())).isEqualTo(digest);
    }
  }

  /** Polls for up to 10 s until no descriptor of the file is open; returns those left. */
  private static List<String> eventually(String encodedDigest) throws Exception {
    List<String> left = descriptorsOf(encodedDigest);
    for (int i = 0; i < 200 && !left.isEmpty(); i++) {
      Thread.sleep(50);
      left = descriptorsOf(encodedDigest);
    }
    return left;
  }

  /** The process's open descriptors (/proc/self/fd) whose target names the blob's file. */
  private static List<String> descriptorsOf(String encodedDigest) throws IOException {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.contains(encodedDigest)) {
            found.add(fd + " -> " + target);
          }
        } catch (IOException e) {
          // closed between the listing and the read
        }
      }
    }
    return found;
  }
}
