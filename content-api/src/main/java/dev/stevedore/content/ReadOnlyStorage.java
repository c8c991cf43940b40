package dev.stevedore.content;

import java.io.IOException;

/** Storage that can be read: fetch content and ask whether it exists. */
public interface ReadOnlyStorage extends Fetcher {
  /**
   * Tells whether the store has the content a descriptor names.
   *
   * @param target the descriptor
   * @return true when the content is there
   * @throws IOException if the store cannot be asked
   */
  boolean exists(Descriptor target) throws IOException;
}
