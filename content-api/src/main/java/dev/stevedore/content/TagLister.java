package dev.stevedore.content;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Lists tags, in pages, in lexical order. An optional capability. */
public interface TagLister {
  /**
   * Lists the tags after {@code last} (exclusive; null or empty for all), one page at a time.
   *
   * @param last the tag to start after, or null
   * @param consumer receives each page in order
   * @throws IOException if the listing fails or the consumer throws
   */
  void tags(@Nullable String last, PageConsumer<String> consumer) throws IOException;

  /**
   * All tags, collected from every page.
   *
   * @return the tags, in the store's order
   * @throws IOException if the listing fails
   */
  default List<String> listTags() throws IOException {
    List<String> all = new ArrayList<>();
    tags(null, all::addAll);
    return all;
  }
}
