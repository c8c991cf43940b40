/** The in-memory store: a thread-safe GraphTarget for tests, caches and staging. */
module dev.stevedore.content.memory {
  requires transitive dev.stevedore.content;
  requires static org.jspecify;

  exports dev.stevedore.content.memory;
}
