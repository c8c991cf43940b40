package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Deleter} with auto-GC on (oras-go's {@code AutoGC}): deleting a node
 * also deletes its referrers, transitively, and the successors nothing else points at; shared
 * content, tagged content and the subject of a deleted referrer stay.
 *
 * <p>{@link #newStore()} must return a store with auto-GC on.
 *
 * @param <S> the store type
 */
public interface AutoGcContract<S extends GraphTarget & Deleter> extends StoreContract<S> {

  /**
   * The graph of the tests: two images sharing a layer, a signature on the first and one on that.
   */
  private static Descriptor[] graph(GraphTarget store) throws Exception {
    Descriptor shared =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("shared"));
    Descriptor own =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("own"));
    Descriptor other =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("other"));
    Descriptor image = Fixtures.pushImage(store, List.of(shared, own));
    Descriptor kept = Fixtures.pushImage(store, List.of(shared, other));
    Descriptor signature =
        Fixtures.pushReferrer(
            store,
            image,
            "application/vnd.stevedore.signature",
            Fixtures.utf8("signature of the image"));
    Descriptor countersignature =
        Fixtures.pushReferrer(
            store,
            signature,
            "application/vnd.stevedore.signature",
            Fixtures.utf8("signature of the signature"));
    store.tag(kept, "kept");
    return new Descriptor[] {shared, own, other, image, kept, signature, countersignature};
  }

  /**
   * Contract: deleting an image deletes its signature and the signature's signature, and what only
   * they used.
   */
  @Test
  default void autoGcDeletesReferrersTransitivelyAndWhatOnlyTheyUsed() throws Exception {
    S store = newStore();
    Descriptor[] g = graph(store);
    Descriptor own = g[1];
    Descriptor image = g[3];
    Descriptor signature = g[5];
    Descriptor countersignature = g[6];

    store.delete(image);

    assertThat(store.exists(image)).isFalse();
    assertThat(store.exists(own)).isFalse();
    assertThat(store.exists(signature)).isFalse();
    assertThat(store.exists(countersignature)).isFalse();
    assertThat(
            store.exists(
                Descriptor.of(
                    "application/vnd.stevedore.test.payload",
                    Fixtures.utf8("signature of the image"))))
        .isFalse();
    assertThat(
            store.exists(
                Descriptor.of(
                    "application/vnd.stevedore.test.payload",
                    Fixtures.utf8("signature of the signature"))))
        .isFalse();
  }

  /** Contract: a layer another image still uses, and the tagged image, survive. */
  @Test
  default void autoGcKeepsSharedAndTaggedContent() throws Exception {
    S store = newStore();
    Descriptor[] g = graph(store);
    Descriptor shared = g[0];
    Descriptor other = g[2];
    Descriptor image = g[3];
    Descriptor kept = g[4];

    store.delete(image);

    assertThat(store.exists(shared)).isTrue();
    assertThat(store.exists(other)).isTrue();
    assertThat(store.exists(kept)).isTrue();
    assertThat(store.resolve("kept").digest()).isEqualTo(kept.digest());
    assertThat(StorageContract.fetchAll(store, shared)).isEqualTo(Fixtures.utf8("shared"));
  }

  /** Contract: deleting a signature deletes its own signature but never what it signs. */
  @Test
  default void autoGcNeverDeletesTheSubjectOfADeletedReferrer() throws Exception {
    S store = newStore();
    Descriptor[] g = graph(store);
    Descriptor own = g[1];
    Descriptor image = g[3];
    Descriptor signature = g[5];
    Descriptor countersignature = g[6];

    store.delete(signature);

    assertThat(store.exists(countersignature)).isFalse();
    assertThat(store.exists(image)).isTrue();
    assertThat(store.exists(own)).isTrue();
  }

  /** Contract: a tagged child of a deleted index stays, with what it points at. */
  @Test
  default void autoGcKeepsATaggedChildOfADeletedIndex() throws Exception {
    S store = newStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("child"));
    Descriptor child = Fixtures.pushImage(store, List.of(layer));
    Descriptor index = Fixtures.pushIndex(store, List.of(child));
    store.tag(child, "child");

    store.delete(index);

    assertThat(store.exists(index)).isFalse();
    assertThat(store.exists(child)).isTrue();
    assertThat(store.exists(layer)).isTrue();
  }
}
