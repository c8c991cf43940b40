/**
 * The OCI image layout store. Most users need only {@link
 * dev.stevedore.content.ocilayout.OciLayoutStore}: {@code OciLayoutStore.open(dir)} gives a
 * thread-safe {@code GraphTarget} over a directory laid out per the OCI image-spec "image layout"
 * ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<encoded>}), the format skopeo,
 * umoci, oras and buildkit read and write. {@code OciLayoutStore.openArchive(tar)} reads the same
 * layout packed as a tar archive ({@code oci-archive}) without extracting it, and {@link
 * dev.stevedore.content.ocilayout.OciLayoutStore#exportArchive(java.nio.file.Path,
 * java.util.Collection)} writes one.
 *
 * <p>Behaviour follows oras-go's {@code content/oci} store: tags are descriptors in {@code
 * index.json} annotated with {@code org.opencontainers.image.ref.name}; every manifest pushed is
 * listed there too (untagged), so its graph and referrers are found again when the layout is
 * reopened.
 */
@NullMarked
package dev.stevedore.content.ocilayout;

import org.jspecify.annotations.NullMarked;
