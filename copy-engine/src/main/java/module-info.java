/** Concurrent graph copy between any two stores. */
module dev.stevedore.copy {
  requires transitive dev.stevedore.content;
  requires com.github.benmanes.caffeine;
  requires static org.jspecify;

  exports dev.stevedore.copy;
}
