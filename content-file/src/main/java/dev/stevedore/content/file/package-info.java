/**
 * The working-directory file store: named files and directories in, files and unpacked trees out.
 * Most users need only {@link dev.stevedore.content.file.FileStore} and {@link
 * dev.stevedore.content.file.FileStoreOptions}:
 *
 * <pre>{@code
 * try (FileStore store = FileStore.open(Path.of("work"), FileStoreOptions.defaults())) {
 *   Descriptor layer = store.add("chart", null, Path.of("chart"));   // a directory: tar+gzip
 *   // pack a manifest over the layer, copy it to a registry, ...
 * }
 * }</pre>
 *
 * <p>Blobs that carry an {@code org.opencontainers.image.title} annotation live as files under the
 * working directory; everything else (manifests, configs) goes to a fallback storage, an in-memory
 * store by default. Failures specific to the file store are {@link
 * dev.stevedore.content.file.FileStoreException}s with a {@link
 * dev.stevedore.content.file.FileStoreException.Reason}.
 */
@NullMarked
package dev.stevedore.content.file;

import org.jspecify.annotations.NullMarked;
