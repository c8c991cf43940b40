package dev.stevedore.content;

import java.io.IOException;

/** Deletes content. */
@FunctionalInterface
public interface Deleter {
  /**
   * Deletes content, with the tags that name it and the graph edges that start from it.
   *
   * @param target the descriptor of the content
   * @throws NotFoundException if the store does not have it
   * @throws IOException if the store cannot be written
   */
  void delete(Descriptor target) throws IOException;
}
