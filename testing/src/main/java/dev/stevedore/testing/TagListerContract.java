package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.TagLister;
import dev.stevedore.content.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link TagLister}: all tags, in lexical order, paged after {@code last}.
 *
 * @param <S> the store type
 */
public interface TagListerContract<S extends Target & TagLister> extends StoreContract<S> {

  /** Contract: An empty store lists no tags. */
  @Test
  default void anEmptyStoreListsNoTags() throws Exception {
    S store = newStore();
    assertThat(store.listTags()).isEmpty();
  }

  /** Contract: Tags are listed in lexical order. */
  @Test
  default void tagsAreListedInLexicalOrder() throws Exception {
    S store = newStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("x"));
    Descriptor manifest = Fixtures.pushImage(store, List.of(layer));
    for (String tag : List.of("v2", "latest", "v1", "a")) {
      store.tag(manifest, tag);
    }
    assertThat(store.listTags()).containsExactly("a", "latest", "v1", "v2");
  }

  /** Contract: Listing starts after last. */
  @Test
  default void listingStartsAfterLast() throws Exception {
    S store = newStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("y"));
    Descriptor manifest = Fixtures.pushImage(store, List.of(layer));
    for (String tag : List.of("a", "b", "c", "d")) {
      store.tag(manifest, tag);
    }
    List<String> seen = new ArrayList<>();
    store.tags("b", seen::addAll);
    assertThat(seen).containsExactly("c", "d");
  }
}
