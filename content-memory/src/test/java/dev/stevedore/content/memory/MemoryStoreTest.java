package dev.stevedore.content.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
  private final MemoryStore store = new MemoryStore();

  @Test
  void pushingExistingContentIsAlreadyExists() throws Exception {
    Descriptor blob = Fixtures.pushBlob(store, "application/x", Fixtures.utf8("x"));
    assertThatThrownBy(() -> store.push(blob, new ByteArrayInputStream(Fixtures.utf8("x"))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining(blob.digest().toString());
  }

  @Test
  void contentTooLargeForMemoryIsASizeLimitExceeded() {
    Descriptor huge =
        Descriptor.of(
            "application/x",
            dev.stevedore.content.Digest.sha256(Fixtures.utf8("x")),
            3L * Integer.MAX_VALUE);
    assertThatThrownBy(() -> store.push(huge, new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(dev.stevedore.content.SizeLimitExceededException.class)
        .hasMessageContaining("too large for a memory store");
  }

  @Test
  void contentIsKeyedOnMediaTypeToo() throws Exception {
    Descriptor blob = Fixtures.pushBlob(store, "application/x", Fixtures.utf8("x"));
    assertThat(store.exists(blob.withMediaType("application/y"))).isFalse();
  }

  @Test
  void deletingAManifestRemovesItsEdgesAndTags() throws Exception {
    Descriptor layer = Fixtures.pushBlob(store, "application/x", Fixtures.utf8("layer"));
    Descriptor manifest = Fixtures.pushImage(store, List.of(layer));
    store.tag(manifest, "v1");
    store.delete(manifest);
    assertThat(store.predecessors(layer)).isEmpty();
    assertThatThrownBy(() -> store.resolve("v1")).isInstanceOf(NotFoundException.class);
    assertThat(store.exists(layer)).isTrue();
  }

  @Test
  void untagRemovesOnlyTheTag() throws Exception {
    Descriptor manifest = Fixtures.pushImage(store, List.of());
    store.tag(manifest, "a");
    store.tag(manifest, "b");
    store.untag("a");
    assertThat(store.listTags()).containsExactly("b");
    assertThat(store.exists(manifest)).isTrue();
    assertThatThrownBy(() -> store.untag("a")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aMalformedManifestIsRejectedAndNotStored() {
    byte[] garbage = Fixtures.utf8("{\"layers\":\"nope\"}");
    Descriptor desc = Descriptor.of("application/vnd.oci.image.manifest.v1+json", garbage);
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(garbage)))
        .isInstanceOf(dev.stevedore.content.InvalidDescriptorException.class);
    assertThat(store.exists(desc)).isFalse();
  }
}
