package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A blob that fits one write of the transport is read and verified on the caller's thread and sent
 * from the event loop, without the upload executor (one thread hand-off less per small blob, issue
 * 19, goal 4); larger blobs still stream from the upload executor. Against a real registry.
 */
@Timeout(120)
class SmallBlobPushTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();
  private static Repository repository;

  @BeforeAll
  static void open() {
    repository =
        Repository.builder()
            .registry(REGISTRY.registry().hostPort())
            .name("small/push")
            .plainHttp()
            .build();
  }

  @AfterAll
  static void close() {
    repository.close();
  }

  /** Remembers the name of every thread that read it. */
  private static final class ThreadRecording extends java.io.FilterInputStream {
    final Set<String> readers = ConcurrentHashMap.newKeySet();

    ThreadRecording(byte[] content) {
      super(new ByteArrayInputStream(content));
    }

    @Override
    public int read() throws IOException {
      readers.add(Thread.currentThread().getName());
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      readers.add(Thread.currentThread().getName());
      return super.read(b, off, len);
    }
  }

  @Test
  void aSmallBlobIsReadOnTheCallersThreadAndArrivesWhole() throws Exception {
    byte[] content = Fixtures.randomBytes(4096, 19);
    Descriptor blob = Descriptor.of("application/octet-stream", content);
    ThreadRecording in = new ThreadRecording(content);

    repository.push(blob, in);

    assertThat(in.readers).containsOnly(Thread.currentThread().getName());
    try (InputStream fetched = repository.fetch(blob)) {
      assertThat(fetched.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void aBlobOfExactlyOneWriteIsReadOnTheCallersThread() throws Exception {
    byte[] content = Fixtures.randomBytes(VertxTransport.WRITE_BUFFER, 20);
    Descriptor blob = Descriptor.of("application/octet-stream", content);
    ThreadRecording in = new ThreadRecording(content);

    repository.push(blob, in);

    assertThat(in.readers).containsOnly(Thread.currentThread().getName());
    assertThat(repository.exists(blob)).isTrue();
  }

  @Test
  void aLargerBlobStillStreamsFromTheUploadExecutor() throws Exception {
    byte[] content = Fixtures.randomBytes(VertxTransport.WRITE_BUFFER + 1, 21);
    Descriptor blob = Descriptor.of("application/octet-stream", content);
    ThreadRecording in = new ThreadRecording(content);

    repository.push(blob, in);

    assertThat(in.readers).isNotEmpty().allMatch(name -> name.startsWith("stevedore-upload-"));
    try (InputStream fetched = repository.fetch(blob)) {
      assertThat(fetched.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void aSmallBlobWhoseContentDoesNotMatchIsRefusedAndNotCommitted() throws Exception {
    byte[] content = Fixtures.randomBytes(4096, 22);
    Descriptor blob = Descriptor.of("application/octet-stream", content);
    byte[] other = content.clone();
    other[100] ^= 1;

    assertThatThrownBy(() -> repository.push(blob, new ByteArrayInputStream(other)))
        .isInstanceOf(DigestMismatchException.class);

    assertThat(repository.exists(blob)).isFalse();
    repository.push(blob, new ByteArrayInputStream(content));
    assertThat(repository.exists(blob)).isTrue();
  }

  @Test
  void aSmallBlobShorterOrLongerThanItsDescriptorIsRefused() throws Exception {
    byte[] content = Fixtures.randomBytes(4096, 23);
    Descriptor blob = Descriptor.of("application/octet-stream", content);
    byte[] shorter = java.util.Arrays.copyOf(content, 4000);
    byte[] longer = java.util.Arrays.copyOf(content, 4200);

    assertThatThrownBy(() -> repository.push(blob, new ByteArrayInputStream(shorter)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> repository.push(blob, new ByteArrayInputStream(longer)))
        .isInstanceOf(IOException.class);

    assertThat(repository.exists(blob)).isFalse();
  }
}
