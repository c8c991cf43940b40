/**
 * Stevedore's registry server: serves any store (OCI layouts, memory stores) as an OCI
 * distribution-spec 1.1 registry, on Vert.x. {@code stevedore serve} and the embedded registry of
 * tests ({@code EmbeddedRegistryExtension}, which needs JUnit Jupiter on the path) use it. Vert.x
 * stays an implementation detail except for {@code Builder.vertx(Vertx)}; htpasswd hashes are
 * checked with the bcrypt library (an automatic module).
 */
module dev.stevedore.server {
  requires transitive dev.stevedore.content;
  requires dev.stevedore.content.ocilayout;
  requires dev.stevedore.content.memory;
  // RegistryServer.Builder.vertx(Vertx) takes the caller's instance
  requires transitive io.vertx.core;
  requires com.fasterxml.jackson.databind;
  requires bcrypt;
  requires static org.junit.jupiter.api;
  requires static transitive org.jspecify;

  exports dev.stevedore.server;
}
