package dev.stevedore.server;

import static dev.stevedore.server.Http.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Digest;
import dev.stevedore.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads that go wrong, over OCI layouts: a client that disconnects in the middle, an abandoned
 * session, a server stopped with an upload in flight. None may leave a blob or a temporary file.
 */
@Timeout(60)
class UploadFaultsTest {
  @TempDir Path temp;

  // Started by each test before use; @AfterEach stops it only if started.
  @SuppressWarnings("NullAway.Init")
  private RegistryServer server;

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }
  }

  private RegistryServer start(RegistryServer.Builder builder) throws IOException {
    Files.createDirectories(temp.resolve("uploads"));
    server =
        builder
            .repositories(RepositoryProvider.ociLayouts(temp.resolve("layouts")))
            .uploadDirectory(temp.resolve("uploads"))
            .start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Every file under the layouts and the upload directory, except what an empty layout holds. */
  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.walk(temp)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              p ->
                  !List.of("oci-layout", "index.json", "index.json.lock")
                      .contains(p.getFileName().toString()))
          .toList();
    }
  }

  /**
   * Waits, within the test's timeout, for the server to finish handling what the client broke off.
   */
  private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
    while (!condition.getAsBoolean()) {
      Thread.sleep(20);
    }
  }

  /** Sends headers and half of a body, then closes the connection. */
  private void breakOff(String requestLine, int declared, int sent) throws IOException {
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                  + "Content-Length: "
                  + declared
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[sent]);
      out.flush();
    }
  }

  @Test
  void aClientThatDisconnectsMidUploadLeavesNoBlobAndNoTemporaryFile() throws Exception {
    start(RegistryServer.builder());
    Http http = new Http(server.url());
    byte[] blob = new byte[4 << 20];
    Digest digest = Digest.sha256(blob);
    assertThat(http.pushBlob("faults/app", Fixtures.utf8("makes the repository")).statusCode())
        .isEqualTo(201);
    // A request is counted once its handler has returned, which may be after its client has the
    // response: the counts below are absolute, not relative to a read that could come too early.
    breakOff("POST /v2/faults/app/blobs/uploads/?digest=" + digest, blob.length, blob.length / 2);
    awaitCondition(() -> server.handledRequests() >= 2);
    String location =
        http.send("POST", "/v2/faults/app/blobs/uploads/", new byte[0])
            .headers()
            .firstValue("Location")
            .orElseThrow();
    breakOff("PUT " + location + "?digest=" + digest, blob.length, blob.length / 3);
    awaitCondition(() -> server.handledRequests() >= 4);

    assertThat(http.head("/v2/faults/app/blobs/" + digest).statusCode()).isEqualTo(404);
    assertThat(leftovers())
        .allSatisfy(
            p ->
                assertThat(p.getFileName().toString())
                    .matches("[0-9a-f]{64}|[0-9a-f-]{36}\\.upload"));
    assertThat(leftovers()).noneMatch(p -> p.getFileName().toString().equals(digest.encoded()));
    // the session stays for a resume, with nothing written
    assertThat(http.get(location).headers().firstValue("Range")).contains("0-0");
  }

  @Test
  void anAbandonedSessionExpiresWithItsData() throws Exception {
    TestClock clock = new TestClock();
    start(RegistryServer.builder().clock(clock).uploadExpiry(Duration.ofMinutes(10)));
    Http http = new Http(server.url());
    String location =
        http.send("POST", "/v2/faults/abandoned/blobs/uploads/", new byte[0])
            .headers()
            .firstValue("Location")
            .orElseThrow();
    http.send("PATCH", location, new byte[1000], "Content-Type", "application/octet-stream");
    try (java.util.stream.Stream<Path> uploads = Files.list(server.uploadDirectory())) {
      assertThat(uploads.toList()).hasSize(1);
    }

    clock.advance(Duration.ofMinutes(9));
    assertThat(server.expireUploads()).isZero();
    clock.advance(Duration.ofMinutes(2));
    assertThat(server.expireUploads()).isEqualTo(1);

    try (java.util.stream.Stream<Path> uploads = Files.list(server.uploadDirectory())) {
      assertThat(uploads.toList()).isEmpty();
    }
    assertError(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void stoppingTheServerWithAnUploadInFlightLeavesNothingHalfWritten() throws Exception {
    start(RegistryServer.builder());
    byte[] blob = new byte[2 << 20];
    Digest digest = Digest.sha256(blob);
    Path layout = temp.resolve("layouts/faults/stopped");
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v2/faults/stopped/blobs/uploads/?digest="
                  + digest
                  + " HTTP/1.1\r\nHost: x\r\n"
                  + "Content-Length: "
                  + blob.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(blob, 0, blob.length / 2);
      out.flush();
      awaitCondition(
          () -> server.activeRequests() == 1 && Files.exists(layout.resolve("oci-layout")));

      server.close();
    }

    assertThat(Files.exists(layout.resolve("blobs/sha256/" + digest.encoded()))).isFalse();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aWrongDigestInAChunkedUploadStoresNothingAndEndsTheSession() throws Exception {
    start(RegistryServer.builder());
    Http http = new Http(server.url());
    String location =
        http.send("POST", "/v2/faults/wrong/blobs/uploads/", new byte[0])
            .headers()
            .firstValue("Location")
            .orElseThrow();
    http.send(
        "PATCH",
        location,
        Fixtures.utf8("first part, "),
        "Content-Type",
        "application/octet-stream");
    Digest claimed = Digest.sha256(Fixtures.utf8("not what was sent"));

    HttpResponse<byte[]> finished =
        http.send(
            "PUT",
            location + "?digest=" + claimed,
            Fixtures.utf8("second part"),
            "Content-Type",
            "application/octet-stream");

    assertError(finished, 400, "DIGEST_INVALID");
    assertThat(http.head("/v2/faults/wrong/blobs/" + claimed).statusCode()).isEqualTo(404);
    assertThat(leftovers()).isEmpty();
  }
}
