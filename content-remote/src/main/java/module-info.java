/**
 * Stevedore's OCI distribution client: {@code Registry} and {@code Repository}, on Vert.x, with
 * challenge-driven authentication ({@code .auth}), docker-compatible credentials
 * ({@code .credentials}), retries and TLS settings. Vert.x types appear in the builders (a caller
 * may hand in its {@code Vertx} and HTTP options), hence {@code requires transitive io.vertx.core}.
 */
module dev.stevedore.content.remote {
  requires transitive dev.stevedore.content;
  requires transitive io.vertx.core;
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires static org.jspecify;

  exports dev.stevedore.content.remote;
  exports dev.stevedore.content.remote.auth;
  exports dev.stevedore.content.remote.credentials;
}
