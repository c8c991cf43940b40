package dev.stevedore.content.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.testing.AutoGcContract;
import dev.stevedore.testing.DeleterContract;
import dev.stevedore.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStoreAutoGcTest implements AutoGcContract<MemoryStore>, DeleterContract<MemoryStore> {

  @Override
  public MemoryStore newStore() {
    return MemoryStore.builder().autoGc(true).build();
  }

  @Test
  void anUntaggedChildOfADeletedIndexGoesWithIt() throws Exception {
    MemoryStore store = newStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("child"));
    Descriptor child = Fixtures.pushImage(store, List.of(layer));
    Descriptor index = Fixtures.pushIndex(store, List.of(child));
    store.delete(index);
    assertThat(store.exists(child)).isFalse();
    assertThat(store.exists(layer)).isFalse();
  }

  @Test
  void withoutAutoGcDeleteRemovesTheTargetOnly() throws Exception {
    MemoryStore store = new MemoryStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("stays"));
    Descriptor image = Fixtures.pushImage(store, List.of(layer));
    Fixtures.pushReferrer(
        store, image, "application/vnd.stevedore.signature", Fixtures.utf8("sig"));
    store.delete(image);
    assertThat(store.exists(layer)).isTrue();
    assertThat(
            store.exists(
                Descriptor.of("application/vnd.stevedore.test.payload", Fixtures.utf8("sig"))))
        .isTrue();
  }
}
