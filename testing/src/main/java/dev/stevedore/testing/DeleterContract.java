package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Storage;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Deleter}.
 *
 * @param <S> the store type
 */
public interface DeleterContract<S extends Storage & Deleter> extends StoreContract<S> {

  /** Contract: Delete removes content. */
  @Test
  default void deleteRemovesContent() throws Exception {
    S store = newStore();
    byte[] content = Fixtures.utf8("to be deleted");
    Descriptor desc = blobDescriptor(content, "deleted");
    store.push(desc, new ByteArrayInputStream(content));
    store.delete(desc);
    assertThat(store.exists(desc)).isFalse();
    assertThatThrownBy(() -> StorageContract.fetchAll(store, desc))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.digest()).isEqualTo(desc.digest()));
  }

  /** Contract: Delete of missing content is not found. */
  @Test
  default void deleteOfMissingContentIsNotFound() throws Exception {
    S store = newStore();
    Descriptor desc = blobDescriptor(Fixtures.utf8("never there"), "never");
    assertThatThrownBy(() -> store.delete(desc))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.digest()).isEqualTo(desc.digest()));
  }

  /** Contract: Deleted content can be pushed again. */
  @Test
  default void deletedContentCanBePushedAgain() throws Exception {
    S store = newStore();
    byte[] content = Fixtures.utf8("phoenix");
    Descriptor desc = blobDescriptor(content, "phoenix");
    store.push(desc, new ByteArrayInputStream(content));
    store.delete(desc);
    store.push(desc, new ByteArrayInputStream(content));
    assertThat(StorageContract.fetchAll(store, desc)).isEqualTo(content);
  }

  /** Contract: Delete leaves other content. */
  @Test
  default void deleteLeavesOtherContent() throws Exception {
    S store = newStore();
    byte[] keep = Fixtures.utf8("keep me");
    byte[] drop = Fixtures.utf8("drop me");
    Descriptor keepDesc = blobDescriptor(keep, "keep");
    Descriptor dropDesc = blobDescriptor(drop, "drop");
    store.push(keepDesc, new ByteArrayInputStream(keep));
    store.push(dropDesc, new ByteArrayInputStream(drop));
    store.delete(dropDesc);
    assertThat(StorageContract.fetchAll(store, keepDesc)).isEqualTo(keep);
  }
}
