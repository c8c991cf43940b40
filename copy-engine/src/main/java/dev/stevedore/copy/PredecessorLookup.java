package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ReadOnlyGraphStorage;
import java.io.IOException;
import java.util.List;

/**
 * Finds the predecessors of a node for an extended copy, overriding {@link
 * ReadOnlyGraphStorage#predecessors}, as oras-go's {@code FindPredecessors}. Called concurrently
 * for different nodes; must be thread-safe.
 */
@FunctionalInterface
public interface PredecessorLookup {
  /**
   * Finds predecessors.
   *
   * @param source the source of the copy
   * @param node the node
   * @return the nodes that refer to it, possibly empty
   * @throws IOException if they cannot be found
   */
  List<Descriptor> find(ReadOnlyGraphStorage source, Descriptor node) throws IOException;
}
