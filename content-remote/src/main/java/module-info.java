/** OCI distribution client. */
module dev.stevedore.content.remote {
  requires transitive dev.stevedore.content;
  requires io.vertx.core;
  requires io.vertx.web.client;
  requires com.github.benmanes.caffeine;
  requires static org.jspecify;

  exports dev.stevedore.content.remote;
}
