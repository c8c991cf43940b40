/**
 * Testing support for Stevedore and for anyone implementing a store: the storage contract suite,
 * fixtures, and forwarding wrappers for counting and failure injection.
 */
module dev.stevedore.testing {
  requires transitive dev.stevedore.content;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires static org.jspecify;

  exports dev.stevedore.testing;
}
