package dev.stevedore.content;

import java.io.IOException;

/** Resolves a reference and fetches its content in one round trip (e.g. GET a manifest by tag). */
@FunctionalInterface
public interface ReferenceFetcher {
  /**
   * Resolves and fetches a reference.
   *
   * @param reference a tag or digest
   * @return the descriptor and its content; the caller closes it
   * @throws NotFoundException if nothing is there
   * @throws IOException if the fetch fails
   */
  FetchedReference fetchReference(String reference) throws IOException;
}
