package dev.stevedore.content;

import java.io.IOException;

/** Removes tags. */
@FunctionalInterface
public interface Untagger {
  /**
   * Removes a tag; the content it named stays.
   *
   * @param reference the tag
   * @throws NotFoundException if there is no such tag
   * @throws IOException if the store cannot be written
   */
  void untag(String reference) throws IOException;
}
