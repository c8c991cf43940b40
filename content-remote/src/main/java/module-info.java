/**
 * Stevedore's OCI distribution client: {@code Registry} and {@code Repository}, configured by one
 * {@code RegistryOptions} value, on Vert.x, with docker-compatible credentials ({@code
 * .credentials}), retries and TLS settings. Challenge-driven authentication ({@code .auth}) is
 * internal: users configure credentials, never tokens. Vert.x types appear in the options (a caller
 * may hand in its {@code Vertx} and HTTP options), hence {@code requires transitive io.vertx.core}.
 */
module dev.stevedore.content.remote {
  requires transitive dev.stevedore.content;
  requires transitive io.vertx.core;
  // buffers that wrap an upload's arrays instead of copying them (VertxTransport)
  requires io.netty.buffer;
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires static transitive org.jspecify;

  exports dev.stevedore.content.remote;
  exports dev.stevedore.content.remote.credentials;
}
