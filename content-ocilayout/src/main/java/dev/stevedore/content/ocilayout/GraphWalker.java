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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Indexes the graph below a layout's index.json entries: every manifest and index reachable is read
 * once (bounded by the metadata limit) and its edges recorded, so predecessors are known for
 * everything found on open, and digests of reachable nodes resolve. Thread-safe.
 *
 * <p>Lazy: {@link #walk} only queues its roots; they are walked on the first call that needs the
 * graph ({@link #graph()}, {@link #known}, and the mutators, so that changes apply to a graph
 * exactly as complete as an eager walk would have left it). A layout opened to resolve a tag, or
 * read by tag and digest only, reads no manifest to index.
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

  /** Roots queued by {@link #walk} and not walked yet. */
  private final Queue<Collection<Descriptor>> queued = new ConcurrentLinkedQueue<>();

  /**
   * How many queued root sets are not yet completely walked: incremented before a set is queued,
   * decremented after it is walked, so zero means the graph holds everything queued so far.
   */
  private final AtomicInteger outstanding = new AtomicInteger();

  /** Held while walking queued roots: callers that need the graph wait for a walk under way. */
  private final ReentrantLock walking = new ReentrantLock();

  /** How many manifests and indexes walks have read (for tests). */
  private final AtomicLong reads = new AtomicLong();

  GraphWalker(Fetcher fetcher, long maxMetadataBytes, String where) {
    this.fetcher = fetcher;
    this.maxMetadataBytes = maxMetadataBytes;
    this.where = where;
  }

  /** The graph, after walking whatever is queued. */
  GraphIndex graph() {
    walkQueued();
    return graph;
  }

  /** A node seen by a walk or recorded, after walking whatever is queued; null if none. */
  @Nullable Descriptor known(Digest digest) {
    walkQueued();
    return known.get(digest);
  }

  /** How many manifests and indexes the walks have read so far. */
  long reads() {
    return reads.get();
  }

  void forget(Descriptor node) {
    walkQueued();
    unreadable.remove(node.digest());
    graph.remove(node);
    known.remove(node.digest());
  }

  /** Records a node whose successors are already known (a manifest just pushed). */
  void record(Descriptor node, List<Descriptor> successors) {
    walkQueued();
    unreadable.remove(node.digest());
    Descriptor key = IndexDocument.withoutRefName(node);
    known.put(node.digest(), node.plain());
    if (Successors.mayHaveSuccessors(node.mediaType())) {
      graph.index(key, successors);
    }
  }

  /** Records a leaf. */
  void recordLeaf(Descriptor node) {
    walkQueued();
    known.putIfAbsent(node.digest(), node.plain());
  }

  /**
   * Queues roots to walk down from, indexing every node not indexed yet, when the graph is next
   * needed. A manifest that is missing or cannot be read is then logged and skipped (its fetch will
   * report the problem), so that one bad blob does not make the whole layout unreadable.
   */
  void walk(Collection<Descriptor> roots) {
    if (roots.isEmpty()) {
      return;
    }
    outstanding.incrementAndGet();
    queued.add(roots);
  }

  /** Walks the queued roots, if any; returns once everything queued before the call is walked. */
  private void walkQueued() {
    if (outstanding.get() == 0) {
      return;
    }
    walking.lock();
    try {
      Collection<Descriptor> roots;
      while ((roots = queued.poll()) != null) {
        try {
          walkNow(roots);
        } finally {
          outstanding.decrementAndGet();
        }
      }
    } finally {
      walking.unlock();
    }
  }

  private void walkNow(Collection<Descriptor> roots) {
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
        reads.incrementAndGet();
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
