package dev.stevedore.server;

import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.memory.MemoryStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A memory store per repository name. */
final class MemoryProvider implements RepositoryProvider {
  private final ConcurrentMap<String, MemoryStore> stores = new ConcurrentHashMap<>();

  @Override
  public Optional<GraphTarget> open(String name) {
    return Optional.ofNullable(stores.get(name));
  }

  @Override
  public GraphTarget create(String name) {
    return stores.computeIfAbsent(name, n -> new MemoryStore());
  }

  @Override
  public List<String> repositories() {
    return stores.keySet().stream().sorted().toList();
  }

  @Override
  public String toString() {
    return "memory stores";
  }
}
