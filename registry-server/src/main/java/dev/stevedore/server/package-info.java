/**
 * An OCI registry that serves Stevedore stores.
 *
 * <p>Most users need only {@link dev.stevedore.server.RegistryServer} and one of the ready {@link
 * dev.stevedore.server.RepositoryProvider}s:
 *
 * <pre>{@code
 * try (RegistryServer server = RegistryServer.builder()
 *     .repositories(RepositoryProvider.ociLayouts(Path.of("/srv/mirror")))
 *     .port(5000).start()) {
 *   System.out.println("serving on " + server.url());
 * }
 * }</pre>
 *
 * <p>The whole distribution-spec 1.1 API is served: blobs (with ranges), chunked and monolithic
 * uploads, cross-repository mounts, manifests by tag and digest, tag and catalog listing with
 * paging, the referrers API, and the spec's JSON errors. Blocking store calls run on a bounded
 * worker pool, never on an event loop; request bodies stream into the stores with back-pressure.
 */
@NullMarked
package dev.stevedore.server;

import org.jspecify.annotations.NullMarked;
