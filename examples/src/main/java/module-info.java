/**
 * Runnable example programs, one per real use of an OCI library: publishing a directory bundle, a
 * Helm chart, a Kubernetes manifest bundle, a registry client facade, messaging over a registry,
 * and mirroring. Each is a class with a {@code main} and a method its test calls.
 */
module dev.stevedore.examples {
  // types of these appear in the examples' signatures
  requires transitive dev.stevedore.content;
  requires transitive dev.stevedore.content.ocilayout;
  requires transitive dev.stevedore.content.remote;
  requires dev.stevedore.content.memory;
  requires dev.stevedore.content.file;
  requires dev.stevedore.copy;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.apache.commons.compress;
  requires com.github.luben.zstd_jni;
  // transitive: nullness annotations are part of the API's signatures
  requires static transitive org.jspecify;

  exports dev.stevedore.examples;
}
