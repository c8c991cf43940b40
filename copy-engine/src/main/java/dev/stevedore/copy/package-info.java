/**
 * Copies artifacts, rooted graphs of manifests, indexes and blobs, from any store to any other.
 *
 * <p>Most users need only {@link dev.stevedore.copy.Copy#copy Copy.copy} and {@link
 * dev.stevedore.copy.CopyOptions}:
 *
 * <pre>{@code
 * Descriptor root = Copy.copy(source, "v1", destination, "v1",
 *     CopyOptions.defaults().withTargetPlatform(Platform.parse("linux/amd64")));
 * }</pre>
 *
 * <p>{@link dev.stevedore.copy.Copy#copyGraph Copy.copyGraph} copies the graph under a descriptor
 * without tags; {@link dev.stevedore.copy.Copy#extendedCopy Copy.extendedCopy} also copies what
 * refers to a node (signatures, SBOMs, attestations). The other static methods of {@code Copy}
 * resolve, fetch, push and tag, as oras-go's helpers do.
 *
 * <p>The engine guarantees: children are pushed before their parents; a node already at the
 * destination is skipped with its whole sub-graph; a node shared by many parents is copied once; at
 * most {@link dev.stevedore.copy.CopyGraphOptions#concurrency()} transfers run at once; the first
 * failure cancels the rest and is reported as a {@link dev.stevedore.copy.CopyException} that names
 * the side, the operation and the descriptor. Blobs are streamed, never held in memory; only
 * manifests are, in a cache bounded by {@link
 * dev.stevedore.copy.CopyGraphOptions#maxMetadataBytes()}.
 */
@NullMarked
package dev.stevedore.copy;

import org.jspecify.annotations.NullMarked;
