package dev.stevedore.content.ocilayout;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Fetcher;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Successors;
import dev.stevedore.content.internal.GraphIndex;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Indexes the graph below a layout's index.json entries: every manifest and index reachable is read
 * once (bounded by the metadata limit) and its edges recorded, so predecessors are known for
 * everything found on open, and digests of reachable nodes resolve. Thread-safe.
 */
final class GraphWalker {
  private static final System.Logger LOG = System.getLogger(GraphWalker.class.getName());

  private final Fetcher fetcher;
  private final long maxMetadataBytes;
  private final String where;
  private final GraphIndex graph = new GraphIndex();

  /** Every node seen, without annotations that only its parent gave it. */
  private final Map<Digest, Descriptor> known = new ConcurrentHashMap<>();

  /** Nodes present but unreadable (corrupt, too large): not retried on every walk. */
  private final Set<Digest> unreadable = ConcurrentHashMap.newKeySet();

  GraphWalker(Fetcher fetcher, long maxMetadataBytes, String where) {
    this.fetcher = fetcher;
    this.maxMetadataBytes = maxMetadataBytes;
    this.where = where;
  }

  GraphIndex graph() {
    return graph;
  }

  @Nullable Descriptor known(Digest digest) {
    return known.get(digest);
  }

  void forget(Descriptor node) {
    unreadable.remove(node.digest());
    graph.remove(node);
    known.remove(node.digest());
  }

  /** Records a node whose successors are already known (a manifest just pushed). */
  void record(Descriptor node, List<Descriptor> successors) {
    unreadable.remove(node.digest());
    Descriptor key = IndexDocument.withoutRefName(node);
    known.put(node.digest(), node.plain());
    if (Successors.mayHaveSuccessors(node.mediaType())) {
      graph.index(key, successors);
    }
  }

  /** Records a leaf. */
  void recordLeaf(Descriptor node) {
    known.putIfAbsent(node.digest(), node.plain());
  }

  /**
   * Walks down from roots, indexing every node not indexed yet. A manifest that is missing or
   * cannot be read is logged and skipped (its fetch will report the problem), so that one bad blob
   * does not make the whole layout unreadable.
   */
  void walk(Collection<Descriptor> roots) {
    Deque<Descriptor> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      Descriptor node = todo.pop();
      known.putIfAbsent(node.digest(), node.plain());
      if (!Successors.mayHaveSuccessors(node.mediaType())
          || graph.isIndexed(node)
          || unreadable.contains(node.digest())) {
        continue;
      }
      List<Descriptor> children;
      try {
        children = Successors.find(fetcher, node, maxMetadataBytes);
      } catch (NotFoundException e) {
        LOG.log(
            System.Logger.Level.DEBUG,
            () -> where + ": " + node.digest() + " is listed but not present");
        continue;
      } catch (IOException e) {
        unreadable.add(node.digest());
        LOG.log(
            System.Logger.Level.WARNING,
            () ->
                where
                    + ": cannot read "
                    + node.digest()
                    + " ("
                    + node.mediaType()
                    + ") to index its graph: "
                    + e.getMessage());
        continue;
      }
      graph.index(IndexDocument.withoutRefName(node), children);
      for (Descriptor child : children) {
        todo.push(child);
      }
    }
  }

  /**
   * Walks down from roots without recording anything, failing on any node that cannot be read: the
   * set of reachable digests, for garbage collection and export. A node that is absent is added to
   * {@code missing} and not walked further (a sparse layout: index.json lists an index some of
   * whose children were never copied).
   *
   * @param into receives every reachable node (first descriptor seen per digest), in walk order,
   *     the missing ones included
   * @param missing receives the manifests and indexes found absent
   * @throws ContentException if a reachable manifest is corrupt, too large or unreadable
   */
  static void reachable(
      Fetcher fetcher,
      long maxMetadataBytes,
      Collection<Descriptor> roots,
      Map<Digest, Descriptor> into,
      Map<Digest, Descriptor> missing)
      throws IOException {
    Deque<Descriptor> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      Descriptor node = todo.removeFirst();
      if (into.putIfAbsent(node.digest(), IndexDocument.withoutRefName(node)) != null) {
        continue;
      }
      if (Successors.mayHaveSuccessors(node.mediaType())) {
        try {
          todo.addAll(Successors.find(fetcher, node, maxMetadataBytes));
        } catch (NotFoundException e) {
          missing.putIfAbsent(node.digest(), IndexDocument.withoutRefName(node).plain());
        }
      }
    }
  }
}
