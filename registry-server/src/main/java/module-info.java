/**
 * Stevedore's registry server: serves any store (OCI layouts, memory stores) as an OCI
 * distribution-spec 1.1 registry, on Vert.x. {@code stevedore serve} and the embedded registry of
 * tests ({@code EmbeddedRegistryExtension}, which needs JUnit Jupiter on the path) use it.
 */
module dev.stevedore.server {
  requires transitive dev.stevedore.content;
  requires transitive dev.stevedore.content.ocilayout;
  requires transitive dev.stevedore.content.memory;
  requires io.vertx.core;
  requires bcrypt;
  requires static org.junit.jupiter.api;
  requires static org.jspecify;

  exports dev.stevedore.server;
}
