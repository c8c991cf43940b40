package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cross-repository mounts between two repositories of a real registry. */
@Timeout(60)
class MountTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static Registry registry;

  @BeforeAll
  static void connect() {
    registry = Registry.builder().host(REGISTRY.registry().hostPort()).plainHttp().build();
  }

  @AfterAll
  static void disconnect() {
    registry.close();
  }

  private static Repository fresh() throws Exception {
    return registry.repository("mount/repo-" + NAMES.incrementAndGet());
  }

  @Test
  void aBlobIsMountedFromAnotherRepositoryWithoutAnUpload() throws Exception {
    Repository source = fresh();
    Repository target = fresh();
    byte[] content = Fixtures.randomBytes(100_000, 11);
    Descriptor blob = Fixtures.pushBlob(source, "application/octet-stream", content);

    target.mount(
        blob,
        source.name(),
        () -> {
          throw new AssertionError("a successful mount must not read the content");
        });

    assertThat(target.exists(blob)).isTrue();
    assertThat(dev.stevedore.testing.StorageContract.fetchAll(target, blob)).isEqualTo(content);
  }

  @Test
  void aDeclinedMountFallsBackToUploadingIntoTheGivenSession() throws Exception {
    Repository source = fresh();
    Repository target = fresh();
    byte[] content = Fixtures.utf8("only the caller has this");
    Descriptor blob = Descriptor.of("application/octet-stream", content);
    AtomicInteger opened = new AtomicInteger();

    target.mount(
        blob,
        source.name(),
        () -> {
          opened.incrementAndGet();
          return new ByteArrayInputStream(content);
        });

    assertThat(opened).hasValue(1);
    assertThat(dev.stevedore.testing.StorageContract.fetchAll(target, blob)).isEqualTo(content);
  }

  @Test
  void aDeclinedMountWhoseContentCannotBeOpenedCancelsItsUploadSession() throws Exception {
    try (FaultProxy proxy =
            FaultProxy.start(REGISTRY.registry().host(), REGISTRY.registry().port());
        Registry viaProxy = Registry.builder().host(proxy.hostPort()).plainHttp().build()) {
      Repository source = viaProxy.repository("mount/repo-" + NAMES.incrementAndGet());
      Repository target = viaProxy.repository("mount/repo-" + NAMES.incrementAndGet());
      Descriptor blob = Descriptor.of("application/octet-stream", Fixtures.utf8("unreadable"));
      IOException unreadable = new IOException("the source went away");

      assertThatThrownBy(
              () ->
                  target.mount(
                      blob,
                      source.name(),
                      () -> {
                        throw unreadable;
                      }))
          .isSameAs(unreadable);

      assertThat(proxy.requestLines())
          .anyMatch(line -> line.startsWith("DELETE /v2/" + target.name() + "/blobs/uploads/"));
      assertThat(target.exists(blob)).isFalse();
    }
  }

  @Test
  void aDeclinedMountWithoutContentFails() throws Exception {
    Repository source = fresh();
    Repository target = fresh();
    Descriptor blob = Descriptor.of("application/octet-stream", Fixtures.utf8("nowhere"));

    assertThatThrownBy(() -> target.mount(blob, source.name(), null))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("declined the mount");
    assertThat(target.exists(blob)).isFalse();
  }

  @Test
  void aDeclinedMountRejectsFallbackContentThatDoesNotMatch() throws Exception {
    Repository source = fresh();
    Repository target = fresh();
    Descriptor blob = Descriptor.of("application/octet-stream", Fixtures.utf8("expected bytes"));

    assertThatThrownBy(
            () ->
                target.mount(
                    blob,
                    source.name(),
                    () -> new ByteArrayInputStream(Fixtures.utf8("tampered bytes"))))
        .isInstanceOf(dev.stevedore.content.DigestMismatchException.class);
    assertThat(target.exists(blob)).isFalse();
  }
}
