package dev.stevedore.content;

import java.io.IOException;

/** Resolves a reference (a tag or a digest) to a descriptor. */
@FunctionalInterface
public interface Resolver {
  /**
   * Resolves a reference.
   *
   * @param reference a tag, or a digest in its wire form
   * @return the descriptor it names
   * @throws NotFoundException if nothing is known under that reference
   * @throws InvalidReferenceException if the reference is malformed
   * @throws IOException if the store cannot be asked
   */
  Descriptor resolve(String reference) throws IOException;
}
