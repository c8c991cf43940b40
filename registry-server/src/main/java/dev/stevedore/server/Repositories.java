package dev.stevedore.server;

import dev.stevedore.content.GraphTarget;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The repositories opened so far, each opened (or created) once through the provider. */
final class Repositories {
  private final RepositoryProvider provider;
  private final ConcurrentMap<String, Repo> open = new ConcurrentHashMap<>();
  private final Object creating = new Object();

  Repositories(RepositoryProvider provider) {
    this.provider = provider;
  }

  Optional<Repo> find(String name) throws IOException {
    Repo repo = open.get(name);
    if (repo != null) {
      return Optional.of(repo);
    }
    synchronized (creating) {
      repo = open.get(name);
      if (repo != null) {
        return Optional.of(repo);
      }
      Optional<GraphTarget> store = provider.open(name);
      if (store.isEmpty()) {
        return Optional.empty();
      }
      repo = new Repo(name, store.get(), provider);
      open.put(name, repo);
      return Optional.of(repo);
    }
  }

  Repo findOrCreate(String name) throws IOException {
    Optional<Repo> found = find(name);
    if (found.isPresent()) {
      return found.get();
    }
    synchronized (creating) {
      Repo repo = open.get(name);
      if (repo == null) {
        repo = new Repo(name, provider.create(name), provider);
        open.put(name, repo);
      }
      return repo;
    }
  }

  List<String> names() throws IOException {
    return provider.repositories();
  }

  @Override
  public String toString() {
    return provider.toString();
  }
}
