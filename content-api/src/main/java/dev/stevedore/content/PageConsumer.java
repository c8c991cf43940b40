package dev.stevedore.content;

import java.io.IOException;
import java.util.List;

/**
 * Receives one page of a paged listing (tags, referrers, repositories).
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface PageConsumer<T> {
  /**
   * Handles a page. Throwing stops the listing; the exception reaches the caller of the listing.
   *
   * @param page the items of this page, never null
   * @throws IOException to stop the listing with a failure
   */
  void accept(List<T> page) throws IOException;
}
