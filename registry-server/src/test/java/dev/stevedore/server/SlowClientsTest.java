package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Digest;
import dev.stevedore.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * More slow clients than worker threads. Downloads of layout blobs hold no worker (the event loop
 * sends the file), so 40 clients that do not read yet all get their answers from 2 workers; slow
 * uploads each hold a worker while their body streams in, and the others wait their turn in the
 * queue: 40 uploads through 4 workers all complete.
 */
@Timeout(300)
class SlowClientsTest {
  private static final int CLIENTS = 40;
  private static final int READ_TIMEOUT_MS = 60_000;

  @TempDir Path temp;

  /** Reads the status line and headers; returns them (the body stays in the stream). */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the server closed the connection after: " + head);
      }
      head.write(b);
      matched =
          (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && matched % 2 == 1)
              ? matched + 1
              : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static Socket connect(RegistryServer server) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(READ_TIMEOUT_MS);
    socket.setReceiveBufferSize(64 * 1024);
    return socket;
  }

  @Test
  void fortyClientsThatDoNotReadYetAllGetTheirBlobFromTwoWorkers() throws Exception {
    byte[] blob = Fixtures.randomBytes(32 << 20, 7); // far more than the socket buffers hold
    Digest digest = Digest.sha256(blob);
    try (RegistryServer server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.ociLayouts(temp))
            .workerThreads(2)
            .start()) {
      Http http = new Http(server.url());
      HttpResponse<byte[]> pushed =
          http.send(
              "POST",
              "/v2/slow/readers/blobs/uploads/?digest=" + digest,
              blob,
              "Content-Type",
              "application/octet-stream");
      assertThat(pushed.statusCode()).isEqualTo(201);

      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          Socket socket = connect(server);
          sockets.add(socket);
          socket
              .getOutputStream()
              .write(
                  ("GET /v2/slow/readers/blobs/" + digest + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
        }
        // every client has its answer started while none has read its body: no worker is held
        for (Socket socket : sockets) {
          assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
        assertThat(http.get("/v2/").statusCode()).isEqualTo(200);
        for (Socket socket : sockets) {
          byte[] body = socket.getInputStream().readNBytes(blob.length);
          assertThat(Digest.sha256(body)).isEqualTo(digest);
        }
      } finally {
        for (Socket socket : sockets) {
          socket.close();
        }
      }
    }
  }

  /** Sends a monolithic upload in small pieces with pauses; returns the status line. */
  private static String slowUpload(RegistryServer server, byte[] blob) throws Exception {
    try (Socket socket = connect(server)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v2/slow/writers/blobs/uploads/?digest="
                  + Digest.sha256(blob)
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                  + "Content-Length: "
                  + blob.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      int piece = blob.length / 8;
      for (int off = 0; off < blob.length; off += piece) {
        out.write(blob, off, Math.min(piece, blob.length - off));
        out.flush();
        Thread.sleep(25);
      }
      String head = readHead(socket.getInputStream());
      return head.substring(0, head.indexOf('\r'));
    }
  }

  @Test
  void fortySlowUploadsThroughFourWorkersAllComplete() throws Exception {
    Path root = temp.resolve("layouts");
    try (RegistryServer server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.ociLayouts(root))
            .workerThreads(4)
            .start()) {
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<byte[]> blobs = new ArrayList<>();
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          byte[] blob = Fixtures.randomBytes(64 * 1024 + i, 1000 + i);
          blobs.add(blob);
          answers.add(clients.submit(() -> slowUpload(server, blob)));
        }
        for (Future<String> answer : answers) {
          assertThat(answer.get()).isEqualTo("HTTP/1.1 201 Created");
        }
        for (byte[] blob : blobs) {
          Path file = root.resolve("slow/writers/blobs/sha256/" + Digest.sha256(blob).encoded());
          assertThat(Files.readAllBytes(file)).isEqualTo(blob);
        }
      } finally {
        clients.shutdownNow();
      }
    }
  }
}
