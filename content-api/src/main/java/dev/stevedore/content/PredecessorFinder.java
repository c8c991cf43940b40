package dev.stevedore.content;

import java.io.IOException;
import java.util.List;

/** Finds the manifests that point at a node (for registries: its referrers). */
@FunctionalInterface
public interface PredecessorFinder {
  /**
   * The nodes that point at {@code node}: manifests and indexes listing it as config, layer,
   * manifest or subject.
   *
   * @param node the node
   * @return its predecessors, possibly empty, never null
   * @throws IOException if the store cannot be asked
   */
  List<Descriptor> predecessors(Descriptor node) throws IOException;
}
