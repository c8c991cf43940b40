package dev.stevedore.copy;

import dev.stevedore.content.ContentKey;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ReadOnlyGraphStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Finds the roots of an extended copy: walks predecessors up from a node, level by level (so a
 * shared predecessor is reached at its shortest distance), looking up the nodes of one level
 * concurrently; a node without predecessors, or at the depth limit, is a root.
 */
final class RootFinder {
  private RootFinder() {}

  static List<Descriptor> find(
      ReadOnlyGraphStorage source,
      Descriptor node,
      int depth,
      PredecessorLookup lookup,
      Executor executor,
      int concurrency)
      throws IOException {
    Map<ContentKey, Descriptor> roots = new LinkedHashMap<>();
    Set<ContentKey> visited = new HashSet<>();
    visited.add(node.key());
    List<Descriptor> level = List.of(node);
    for (int d = 0; !level.isEmpty(); d++) {
      if (depth > 0 && d == depth) {
        level.forEach(n -> roots.putIfAbsent(n.key(), n));
        break;
      }
      List<Descriptor> current = level;
      AtomicReferenceArray<List<Descriptor>> results = new AtomicReferenceArray<>(current.size());
      List<LimitedScheduler.Task> tasks = new ArrayList<>(current.size());
      for (int i = 0; i < current.size(); i++) {
        int slot = i;
        tasks.add(() -> results.set(slot, lookup(source, lookup, current.get(slot))));
      }
      Throwable failure;
      try {
        failure = LimitedScheduler.runAll(executor, concurrency, tasks);
      } catch (InterruptedException e) {
        throw Failures.interrupted(
            "finding the predecessors of " + node.digest() + " interrupted", e);
      }
      Failures.rethrow(failure);
      List<Descriptor> next = new ArrayList<>();
      for (int i = 0; i < current.size(); i++) {
        List<Descriptor> predecessors = results.get(i);
        if (predecessors.isEmpty()) {
          roots.putIfAbsent(current.get(i).key(), current.get(i));
          continue;
        }
        for (Descriptor predecessor : predecessors) {
          if (visited.add(predecessor.key())) {
            next.add(predecessor);
          }
        }
      }
      level = next;
    }
    return List.copyOf(roots.values());
  }

  private static List<Descriptor> lookup(
      ReadOnlyGraphStorage source, PredecessorLookup lookup, Descriptor node) throws IOException {
    return Failures.store(
        CopyException.Side.SOURCE,
        CopyException.Operation.PREDECESSORS,
        node,
        null,
        () -> List.copyOf(lookup.find(source, node)));
  }
}
