/** Concurrent graph copy between any two stores. */
module dev.stevedore.copy {
  requires transitive dev.stevedore.content;
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  // transitive: nullness annotations are part of the API's signatures
  requires static transitive org.jspecify;

  exports dev.stevedore.copy;
}
