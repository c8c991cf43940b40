package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import java.io.IOException;

/**
 * A hook the copy engine calls for a node: after it was copied, when it was skipped, when it was
 * mounted. Called from the engine's worker threads, possibly concurrently for different nodes, so
 * it must be thread-safe. An exception it throws fails the copy and reaches the caller unchanged.
 */
@FunctionalInterface
public interface NodeHandler {
  /**
   * Handles a node.
   *
   * @param node the node
   * @throws IOException to fail the copy
   */
  void handle(Descriptor node) throws IOException;
}
