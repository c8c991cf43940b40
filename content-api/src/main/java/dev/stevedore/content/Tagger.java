package dev.stevedore.content;

import java.io.IOException;

/** Tags content with a reference. */
@FunctionalInterface
public interface Tagger {
  /**
   * Tags existing content; an existing tag of the same name is moved.
   *
   * @param desc the descriptor of the content to tag (it must already be in the store)
   * @param reference the tag
   * @throws NotFoundException if the content is not in the store
   * @throws InvalidReferenceException if the tag is malformed
   * @throws IOException if the store cannot be written
   */
  void tag(Descriptor desc, String reference) throws IOException;
}
