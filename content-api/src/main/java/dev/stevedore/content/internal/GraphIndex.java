package dev.stevedore.content.internal;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The predecessor index of a store: for each node, the manifests and indexes that point at it.
 * Keyed by digest. Thread-safe: one lock guards both directions of the edges.
 *
 * <p>Not API: shared by the memory, file and OCI layout stores.
 */
public final class GraphIndex {
  private final Object lock = new Object();

  /** node digest → predecessors (by digest, in insertion order). */
  private final Map<Digest, Map<Digest, Descriptor>> predecessors = new HashMap<>();

  /** node digest → its successors' digests, so edges can be removed when the node goes. */
  private final Map<Digest, List<Digest>> successors = new HashMap<>();

  /** Creates an empty index. */
  public GraphIndex() {}

  /**
   * Records that {@code node} points at each of {@code children}. Indexing a node twice replaces
   * its edges.
   *
   * @param node the manifest or index
   * @param children its successors
   */
  public void index(Descriptor node, List<Descriptor> children) {
    Descriptor plainNode = node;
    synchronized (lock) {
      removeEdgesFrom(node.digest());
      List<Digest> out = new ArrayList<>(children.size());
      for (Descriptor child : children) {
        out.add(child.digest());
        predecessors
            .computeIfAbsent(child.digest(), k -> new LinkedHashMap<>())
            .put(node.digest(), plainNode);
      }
      successors.put(node.digest(), out);
    }
  }

  /**
   * The predecessors of a node.
   *
   * @param node the node
   * @return a snapshot of the nodes pointing at it
   */
  public List<Descriptor> predecessors(Descriptor node) {
    synchronized (lock) {
      Map<Digest, Descriptor> preds = predecessors.get(node.digest());
      return preds == null ? List.of() : List.copyOf(preds.values());
    }
  }

  /**
   * Tells whether a node was indexed (its successors are known).
   *
   * @param node the node
   * @return true when indexed
   */
  public boolean isIndexed(Descriptor node) {
    synchronized (lock) {
      return successors.containsKey(node.digest());
    }
  }

  /**
   * Removes a node's outgoing edges (when the node is deleted). Edges pointing at it stay: the
   * predecessors still name it.
   *
   * @param node the node
   */
  public void remove(Descriptor node) {
    synchronized (lock) {
      removeEdgesFrom(node.digest());
    }
  }

  private void removeEdgesFrom(Digest node) {
    List<Digest> out = successors.remove(node);
    if (out == null) {
      return;
    }
    for (Digest child : out) {
      Map<Digest, Descriptor> preds = predecessors.get(child);
      if (preds != null) {
        preds.remove(node);
        if (preds.isEmpty()) {
          predecessors.remove(child);
        }
      }
    }
  }
}
