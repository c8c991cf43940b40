package dev.stevedore.testing;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Storage;

/**
 * What every contract needs from the test class: a fresh store, and how to describe a plain blob.
 *
 * @param <S> the store type
 */
public interface StoreContract<S extends Storage> {
  /**
   * A fresh, empty store for one test. The implementing class releases it (e.g. in an
   * {@code @AfterEach}).
   *
   * @return the store
   * @throws Exception if it cannot be made
   */
  S newStore() throws Exception;

  /**
   * The descriptor under which the contract pushes a plain blob. Stores that need more (a file
   * store wants a title annotation) override this.
   *
   * @param content the blob's bytes
   * @param name a name unique within the test
   * @return the descriptor to push
   */
  default Descriptor blobDescriptor(byte[] content, String name) {
    return Descriptor.of("application/vnd.stevedore.test.blob", content);
  }
}
