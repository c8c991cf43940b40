/**
 * Testing support for Stevedore and for anyone implementing a store: the storage contract suite,
 * fixtures, forwarding wrappers for counting and failure injection, real registries (the
 * docker-registry process), a fault-injecting proxy and a token server for auth tests.
 */
module dev.stevedore.testing {
  requires transitive dev.stevedore.content;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires jdk.httpserver;
  // transitive: nullness annotations are part of the API's signatures
  requires static transitive org.jspecify;

  exports dev.stevedore.testing;
}
