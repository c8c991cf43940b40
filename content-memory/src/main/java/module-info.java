/** The in-memory store: a thread-safe GraphTarget for tests, caches and staging. */
module dev.stevedore.content.memory {
  requires transitive dev.stevedore.content;
  // transitive: nullness annotations are part of the API's signatures
  requires static transitive org.jspecify;

  exports dev.stevedore.content.memory;
}
