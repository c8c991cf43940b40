package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;

/**
 * Observes a copy node by node, finely enough to draw a progress bar per blob. Every method has an
 * empty default; implement those you need.
 *
 * <p>Called from the engine's worker threads, concurrently for different nodes (but in order for
 * one node: started, transferred..., done), so implementations must be thread-safe and fast: they
 * run on the transfer path. A runtime exception thrown by a listener fails the copy.
 */
public interface CopyListener {
  /** A listener that ignores everything. */
  CopyListener NONE = new CopyListener() {};

  /**
   * A node's transfer starts (its children are at the destination).
   *
   * @param node the node
   */
  default void nodeStarted(Descriptor node) {}

  /**
   * Bytes of a node went to the destination.
   *
   * @param node the node
   * @param transferred bytes transferred so far for this node (cumulative, up to {@code
   *     node.size()})
   */
  default void bytesTransferred(Descriptor node, long transferred) {}

  /**
   * A node is at the destination: copied, or left alone because a pre-copy handler said so.
   *
   * @param node the node
   */
  default void nodeDone(Descriptor node) {}

  /**
   * A node was already at the destination: it and its sub-graph were skipped.
   *
   * @param node the node
   */
  default void nodeSkipped(Descriptor node) {}

  /**
   * A blob was mounted from another repository instead of being transferred (no {@link
   * #nodeStarted} or {@link #nodeDone} is reported for it).
   *
   * @param node the blob
   * @param fromRepository the repository it was mounted from
   */
  default void nodeMounted(Descriptor node, String fromRepository) {}
}
