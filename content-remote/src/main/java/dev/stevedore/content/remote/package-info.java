/**
 * The OCI distribution client: talk to a registry as a store.
 *
 * <p>Most users need only {@link dev.stevedore.content.remote.Repository}: build one for a
 * repository, then use it as any {@link dev.stevedore.content.GraphTarget} (copy to and from it,
 * resolve, tag, list tags and referrers). {@link dev.stevedore.content.remote.Registry} is the
 * host: ping, catalog, and repositories sharing one connection pool.
 *
 * <pre>{@code
 * try (Repository repo = Repository.builder().reference("localhost:5000/hello").plainHttp().build()) {
 *   Descriptor manifest = repo.resolve("v1");
 *   List<Descriptor> signatures = repo.listReferrers(manifest, "application/vnd.example.signature");
 * }
 * }</pre>
 *
 * <p>Everything that configures a client is one immutable {@link
 * dev.stevedore.content.remote.RegistryOptions} value: set options on the builders directly, or
 * build the value once and hand it to as many registries and repositories as share it ({@code
 * Registry.builder().host(h).options(options)}).
 *
 * <p>Every call is blocking and honours thread interruption; the client runs on Vert.x and refuses
 * to block a Vert.x event-loop thread. Failures are {@link
 * dev.stevedore.content.ContentException}s; a registry's refusal is a {@link
 * dev.stevedore.content.remote.RegistryResponseException} (also found in the cause chain of the
 * {@link dev.stevedore.content.NotFoundException} of a 404).
 */
@NullMarked
package dev.stevedore.content.remote;

import org.jspecify.annotations.NullMarked;
