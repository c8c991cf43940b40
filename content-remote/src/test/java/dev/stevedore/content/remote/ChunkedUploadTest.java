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
}
