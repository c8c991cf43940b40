package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.StorageContract;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chunked PATCH uploads against a real registry, and their resume after a dropped connection. */
@Timeout(60)
class ChunkedUploadTest {
  private static final int CHUNK = 64 * 1024;

  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private Repository repository;

  // Set by each test (or its @BeforeEach) before use; @AfterEach closes it only if set.
  @SuppressWarnings("NullAway.Init")
  private FaultInjectingProxy proxy;

  @AfterEach
  void close() throws Exception {
    if (repository != null) {
      repository.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private Repository open(String host, String name) {
    repository =
        Repository.builder().registry(host).name(name).plainHttp().chunkedUploads(0, CHUNK).build();
    return repository;
  }

  @Test
  void aBlobIsUploadedInChunks() throws Exception {
    Repository repo = open(REGISTRY.registry().hostPort(), "chunked/plain");
    byte[] content = Fixtures.randomBytes(5 * CHUNK + 123, 5);
    Descriptor desc = Descriptor.of("application/octet-stream", content);

    repo.push(desc, new ByteArrayInputStream(content));

    assertThat(StorageContract.fetchAll(repo, desc)).isEqualTo(content);
  }

  @Test
  void aBlobOfExactlyOneChunkIsUploaded() throws Exception {
    Repository repo = open(REGISTRY.registry().hostPort(), "chunked/exact");
    byte[] content = Fixtures.randomBytes(CHUNK, 6);
    Descriptor desc = Descriptor.of("application/octet-stream", content);

    repo.push(desc, new ByteArrayInputStream(content));

    assertThat(StorageContract.fetchAll(repo, desc)).isEqualTo(content);
  }

  @Test
  void chunkedContentThatDoesNotMatchIsNeverCommitted() throws Exception {
    Repository repo = open(REGISTRY.registry().hostPort(), "chunked/mismatch");
    byte[] content = Fixtures.randomBytes(3 * CHUNK + 5, 7);
    byte[] tampered = content.clone();
    tampered[tampered.length - 1] ^= 1;
    Descriptor desc = Descriptor.of("application/octet-stream", content);

    assertThatThrownBy(() -> repo.push(desc, new ByteArrayInputStream(tampered)))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(repo.exists(desc)).isFalse();
  }

  @Test
  void anUploadCutOffMidWayResumesFromTheRegistrysOffset() throws Exception {
    proxy = new FaultInjectingProxy(REGISTRY.registry().host(), REGISTRY.registry().port(), 3);
    Repository repo = open(proxy.hostPort(), "chunked/resume");
    byte[] content = Fixtures.randomBytes(6 * CHUNK + 99, 8);
    Descriptor desc = Descriptor.of("application/octet-stream", content);

    repo.push(desc, new ByteArrayInputStream(content));

    assertThat(proxy.failed()).as("the connection was cut during the third PATCH").isTrue();
    assertThat(StorageContract.fetchAll(repo, desc)).isEqualTo(content);
    // resumed, not restarted: each of the 6 full chunks reached the registry once
    assertThat(proxy.patchesForwarded()).isEqualTo(6);
    assertThat(proxy.upstreamBytes()).isLessThan(content.length + 64 * 1024);
  }

  @Test
  void theNextChunkIsReadWhileThePreviousOneIsOnTheWire() throws Exception {
    // The first PATCH is held at the proxy until the source has been read half-way into the
    // second chunk: only an upload that reads ahead while a chunk is in flight gets there.
    java.util.concurrent.CountDownLatch readAhead = new java.util.concurrent.CountDownLatch(1);
    proxy = new FaultInjectingProxy(REGISTRY.registry().host(), REGISTRY.registry().port(), 0);
    proxy.holdPatch(1, readAhead);
    Repository repo = open(proxy.hostPort(), "chunked/pipelined");
    byte[] content = Fixtures.randomBytes(3 * CHUNK + 5, 9);
    Descriptor desc = Descriptor.of("application/octet-stream", content);

    repo.push(
        desc, new PositionWatchingStream(content, CHUNK + CHUNK / 2, readAhead::countDown, null));

    assertThat(proxy.heldPatchReleasedByGate())
        .as("the second chunk was read while the first PATCH was held")
        .isTrue();
    assertThat(StorageContract.fetchAll(repo, desc)).isEqualTo(content);
    assertThat(proxy.patchesForwarded()).isEqualTo(3);
  }

  @Test
  void aSourceThatFailsWhileAChunkIsInFlightLeavesNothingBehind() throws Exception {
    Repository repo = open(REGISTRY.registry().hostPort(), "chunked/broken-source");
    byte[] content = Fixtures.randomBytes(4 * CHUNK + 5, 10);
    Descriptor desc = Descriptor.of("application/octet-stream", content);

    assertThatThrownBy(
            () ->
                repo.push(
                    desc,
                    new PositionWatchingStream(
                        content, 2 * CHUNK + 7, () -> {}, "the source disk went away")))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("the source disk went away");
    assertThat(repo.exists(desc)).isFalse();
  }

  /**
   * Content that runs an action once a reader has reached a position, and then optionally fails.
   */
  private static final class PositionWatchingStream extends java.io.InputStream {
    private final byte[] content;
    private final long watched;
    private final Runnable atPosition;
    private final @org.jspecify.annotations.Nullable String failure;
    private int position;

    PositionWatchingStream(
        byte[] content,
        long watched,
        Runnable atPosition,
        @org.jspecify.annotations.Nullable String failure) {
      this.content = content;
      this.watched = watched;
      this.atPosition = atPosition;
      this.failure = failure;
    }

    @Override
    public int read() throws java.io.IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
      if (position >= watched) {
        atPosition.run();
        if (failure != null) {
          throw new java.io.IOException(failure);
        }
      }
      if (position == content.length) {
        return -1;
      }
      // never read past the watched position in one go, so the action runs exactly there
      int limit = position < watched ? (int) Math.min(content.length, watched) : content.length;
      int n = Math.min(len, limit - position);
      System.arraycopy(content, position, b, off, n);
      position += n;
      return n;
    }
  }
}
