package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digester;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Blobs stream through bounded buffers both ways, against a real registry. */
@Timeout(120)
class StreamingTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();
  private static final byte[] CONTENT = Fixtures.randomBytes(48 * 1024 * 1024 + 7, 48);
  private static final Descriptor BLOB = Descriptor.of("application/octet-stream", CONTENT);
  private static Repository repository;

  @BeforeAll
  static void pushOnce() throws Exception {
    repository =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("streaming/large")
            .plainHttp()
            .build();
    repository.push(BLOB, new ByteArrayInputStream(CONTENT));
  }

  @AfterAll
  static void close() {
    repository.close();
  }

  @Test
  void aLargeBlobIsReadToItsEndThroughSmallReads() throws Exception {
    Digester digester = Digester.sha256();
    long total = 0;
    byte[] small = new byte[1000];
    try (InputStream in = repository.fetch(BLOB)) {
      int n;
      while ((n = in.read(small)) >= 0) {
        digester.update(small, 0, n);
        total += n;
      }
    }
    assertThat(total).isEqualTo(CONTENT.length);
    assertThat(digester.digest()).isEqualTo(BLOB.digest());
  }

  /**
   * A reader that stops at the content's last byte without asking for the end (as GZIPInputStream
   * does at the gzip trailer) closes a stream whose response has already ended: that is no abort.
   */
  @Test
  void closingAStreamReadToItsLastByteButNotItsEndSucceeds() throws Exception {
    byte[] small = Fixtures.randomBytes(300, 300);
    Descriptor blob = Descriptor.of("application/octet-stream", small);
    repository.push(blob, new ByteArrayInputStream(small));
    for (int i = 0; i < 50; i++) {
      InputStream in = repository.fetch(blob);
      assertThat(in.readNBytes(small.length)).isEqualTo(small);
      in.close();
    }
    assertThat(repository.exists(blob)).isTrue();
  }

  @Test
  void closingAStreamEarlyLeavesTheRepositoryUsable() throws Exception {
    try (InputStream in = repository.fetch(BLOB)) {
      assertThat(in.readNBytes(10)).containsExactly(java.util.Arrays.copyOf(CONTENT, 10));
    }
    assertThat(repository.exists(BLOB)).isTrue();
    try (InputStream again = repository.fetch(BLOB)) {
      assertThat(again.readNBytes(10)).containsExactly(java.util.Arrays.copyOf(CONTENT, 10));
    }
  }

  @Test
  void concurrentFetchesOfALargeBlobAllComplete() throws Exception {
    var failures =
        dev.stevedore.testing.StorageContract.runConcurrently(
            4,
            i -> {
              try (InputStream in = repository.fetch(BLOB)) {
                assertThat(in.transferTo(java.io.OutputStream.nullOutputStream()))
                    .isEqualTo(CONTENT.length);
              }
              return i;
            });
    assertThat(failures).isEmpty();
  }
}
