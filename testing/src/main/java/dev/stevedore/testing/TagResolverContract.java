package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of tagging and resolving: tag, resolve, re-tag, resolve by digest.
 *
 * @param <S> the store type
 */
public interface TagResolverContract<S extends Target> extends StoreContract<S> {

  private static Descriptor image(Target store, String seed) throws Exception {
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8(seed));
    return Fixtures.pushImage(store, List.of(layer));
  }

  /** Contract: Tag then resolve gives the tagged descriptor. */
  @Test
  default void tagThenResolveGivesTheTaggedDescriptor() throws Exception {
    S store = newStore();
    Descriptor manifest = image(store, "one");
    store.tag(manifest, "v1");
    Descriptor resolved = store.resolve("v1");
    assertThat(resolved.key()).isEqualTo(manifest.key());
  }

  /** Contract: Retag moves the tag. */
  @Test
  default void retagMovesTheTag() throws Exception {
    S store = newStore();
    Descriptor first = image(store, "first");
    Descriptor second = image(store, "second");
    store.tag(first, "latest");
    store.tag(second, "latest");
    assertThat(store.resolve("latest").digest()).isEqualTo(second.digest());
  }

  /** Contract: Two tags resolve independently. */
  @Test
  default void twoTagsResolveIndependently() throws Exception {
    S store = newStore();
    Descriptor first = image(store, "a");
    Descriptor second = image(store, "b");
    store.tag(first, "a");
    store.tag(second, "b");
    assertThat(store.resolve("a").digest()).isEqualTo(first.digest());
    assertThat(store.resolve("b").digest()).isEqualTo(second.digest());
  }

  /** Contract: Resolve of an unknown tag is not found. */
  @Test
  default void resolveOfAnUnknownTagIsNotFound() throws Exception {
    S store = newStore();
    assertThatThrownBy(() -> store.resolve("nope"))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.reference()).isEqualTo("nope"));
  }

  /** Contract: Resolve by digest of a pushed manifest. */
  @Test
  default void resolveByDigestOfAPushedManifest() throws Exception {
    S store = newStore();
    Descriptor manifest = image(store, "by-digest");
    Descriptor resolved = store.resolve(manifest.digest().toString());
    assertThat(resolved.digest()).isEqualTo(manifest.digest());
    assertThat(resolved.size()).isEqualTo(manifest.size());
    assertThat(resolved.mediaType()).isEqualTo(manifest.mediaType());
  }

  /** Contract: Tag of missing content is not found. */
  @Test
  default void tagOfMissingContentIsNotFound() throws Exception {
    S store = newStore();
    Descriptor ghost =
        Descriptor.of(
            "application/vnd.oci.image.manifest.v1+json", Fixtures.utf8("{\"schemaVersion\":2}"));
    assertThatThrownBy(() -> store.tag(ghost, "ghost"))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.digest()).isEqualTo(ghost.digest()));
    assertThatThrownBy(() -> store.resolve("ghost"))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.reference()).isEqualTo("ghost"));
  }
}
