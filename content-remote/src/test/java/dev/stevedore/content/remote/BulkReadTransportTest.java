package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.server.EmbeddedRegistryExtension;
import dev.stevedore.testing.GeneratedContent;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.TcpConfig;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's own Vert.x reads large responses in pieces of up to 256 KiB, not Netty's 64 KiB, and
 * leaves the socket's receive buffer to the kernel.
 */
@Timeout(60)
class BulkReadTransportTest {
  private static final int NETTY_DEFAULT_MAX_READ = 64 * 1024;

  @RegisterExtension
  static final EmbeddedRegistryExtension REGISTRY = EmbeddedRegistryExtension.memory();

  @Test
  void aLargeBlobArrivesInPiecesLargerThanNettysDefaultRead() throws Exception {
    long size = 32L * 1024 * 1024;
    Descriptor blob = GeneratedContent.describe("application/octet-stream", size, 7);
    try (Repository repository =
        Repository.builder().registry(REGISTRY.hostPort()).name("bulk/read").plainHttp().build()) {
      try (InputStream content = GeneratedContent.stream(size, 7)) {
        repository.push(blob, content);
      }
    }
    Vertx vertx = RegistryOptions.newVertx();
    try {
      // the options RegistryClient sets: pieces as large as one read
      HttpClient http =
          vertx.createHttpClient(
              new HttpClientOptions().setMaxChunkSize(RegistryClient.BODY_CHUNK_SIZE));
      AtomicInteger largest = new AtomicInteger();
      AtomicLong received = new AtomicLong();
      http.request(
              HttpMethod.GET,
              REGISTRY.url().getPort(),
              "127.0.0.1",
              "/v2/bulk/read/blobs/" + blob.digest())
          .compose(request -> request.send())
          .compose(
              response -> {
                response.handler(
                    piece -> {
                      largest.accumulateAndGet(piece.length(), Math::max);
                      received.addAndGet(piece.length());
                    });
                return response.end();
              })
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);

      assertThat(received).hasValue(size);
      assertThat(largest.get())
          .isGreaterThan(NETTY_DEFAULT_MAX_READ)
          .isLessThanOrEqualTo(RegistryClient.BODY_CHUNK_SIZE);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theSocketReceiveBufferIsLeftToTheKernel() {
    Bootstrap bootstrap = new Bootstrap();
    new BulkReadTransport(io.vertx.core.transport.Transport.NIO)
        .implementation()
        .configure(new TcpConfig(), false, bootstrap);

    assertThat(bootstrap.config().options())
        .doesNotContainKey(ChannelOption.SO_RCVBUF)
        .containsKey(ChannelOption.RCVBUF_ALLOCATOR);
    assertThat(bootstrap.config().options().get(ChannelOption.RCVBUF_ALLOCATOR))
        .isInstanceOf(AdaptiveRecvByteBufAllocator.class);
  }

  @Test
  void aReceiveBufferSetByTheCallerIsLeftToVertx() {
    Bootstrap bootstrap = new Bootstrap();
    new BulkReadTransport(io.vertx.core.transport.Transport.NIO)
        .implementation()
        .configure(new TcpConfig().setReceiveBufferSize(128 * 1024), false, bootstrap);

    // Vert.x's client sets both itself from the same TcpConfig: the buffer and reads of its size
    assertThat(bootstrap.config().options())
        .doesNotContainKey(ChannelOption.RCVBUF_ALLOCATOR)
        .doesNotContainKey(ChannelOption.SO_RCVBUF);
  }
}
