package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Fetcher;
import java.io.IOException;
import java.util.List;

/**
 * Finds the successors of a node, overriding the default discovery ({@link
 * dev.stevedore.content.Successors#find}), as oras-go's {@code FindSuccessors}. Called from worker
 * threads, possibly concurrently; must be thread-safe.
 */
@FunctionalInterface
public interface SuccessorLookup {
  /**
   * Finds successors.
   *
   * @param fetcher cached access to the source: what is fetched through it is read whole (up to the
   *     metadata limit) and kept in the metadata cache, so use it for manifests, not for large
   *     blobs
   * @param node the node
   * @return its successors, empty for a leaf
   * @throws IOException if they cannot be found
   */
  List<Descriptor> find(Fetcher fetcher, Descriptor node) throws IOException;
}
