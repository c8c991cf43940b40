package dev.stevedore.examples;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.Target;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.content.file.FileStoreOptions;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.copy.CopyOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Example 1, bundle publisher: packages a directory (or one of its sub-directories) as an OCI
 * artifact into an OCI layout, with a custom artifact type, {@code org.opencontainers.image.*}
 * annotations and a fixed creation time, so the same input always gives the same digest; pushes the
 * layout to a registry when the target is {@code oci://...}; and attaches a signature bundle as a
 * referrer whose tag derives from its own digest.
 *
 * <pre>{@code
 * Published p = BundlePublisher.publish(
 *     new BundlePublisher.Bundle(Path.of("site"), null, "application/vnd.example.site.v1", Map.of(), created),
 *     PublishTarget.parse("oci://localhost:5000/bundles/site:v1", "latest"),
 *     RegistryConnection.dockerDefaults().withTransport(RegistryConnection.Transport.PLAIN_HTTP),
 *     signatureBundleJson);
 * }</pre>
 */
public final class BundlePublisher {
  /** The media type of a Sigstore bundle, the referrer this example attaches. */
  public static final String SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  private BundlePublisher() {}

  /**
   * What to package.
   *
   * @param directory the directory
   * @param subDirectory a relative path inside it to package instead of the whole, or null
   * @param artifactType the artifact type of the manifest
   * @param annotations more manifest annotations, e.g. {@link Annotations#SOURCE}, {@link Annotations#VERSION}
   * @param created the creation time written as {@link Annotations#CREATED} (seconds): fixed for reproducible digests
   */
  public record Bundle(Path directory, @Nullable String subDirectory, String artifactType,
      Map<String, String> annotations, Instant created) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the artifact type is not a media type
     */
    public Bundle {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(created, "created");
      if (!Packer.isValidMediaType(artifactType)) {
        throw new IllegalArgumentException("invalid artifact type \"" + artifactType + "\": expected type/subtype");
      }
      annotations = Map.copyOf(annotations);
      subDirectory = subDirectory == null || subDirectory.isEmpty() ? null : subDirectory;
    }
  }

  /**
   * What was published.
   *
   * @param manifest the artifact's manifest descriptor
   * @param reference the full reference: {@code host/repository:tag@digest}, or {@code layout-path:tag@digest}
   * @param signature the signature referrer's manifest, or null when none was attached
   * @param signatureTag the tag of the signature referrer, or null
   */
  public record Published(Descriptor manifest, String reference, @Nullable Descriptor signature,
      @Nullable String signatureTag) {
    /**
     * The artifact's digest.
     *
     * @return e.g. {@code sha256:...}
     */
    public String digest() {
      return manifest.digest().toString();
    }

    /**
     * The manifest's media type.
     *
     * @return the OCI manifest media type
     */
    public String mediaType() {
      return manifest.mediaType();
    }

    /**
     * The manifest's size.
     *
     * @return bytes
     */
    public long size() {
      return manifest.size();
    }
  }

  /**
   * Packages a directory into an OCI layout (the target's, or a temporary one pushed to the
   * target registry), and attaches a signature bundle when one is given.
   *
   * @param bundle what to package
   * @param target where to publish
   * @param connection how to reach the registry (ignored for a layout target)
   * @param signatureBundle a Sigstore bundle (JSON) to attach as a referrer, or null
   * @return digest, media type, size and full reference of the artifact, and the signature
   * @throws IllegalArgumentException if the sub-directory leads out of the directory
   * @throws java.nio.file.NotDirectoryException if what is to be packaged is not a directory
   * @throws IOException if packaging, writing the layout or pushing fails
   */
  public static Published publish(Bundle bundle, PublishTarget target, RegistryConnection connection,
      byte @Nullable [] signatureBundle) throws IOException {
    Path content = contentDirectory(bundle);
    Path scratch = Files.createTempDirectory("stevedore-bundle-");
    try {
      Path layoutDir = target instanceof PublishTarget.Layout layout ? layout.directory() : scratch.resolve("layout");
      OciLayoutStore layout = OciLayoutStore.open(layoutDir);
      Descriptor manifest = pack(bundle, content, scratch.resolve("work"), layout, target.tag());
      if (target instanceof PublishTarget.Remote remote) {
        try (Repository repository = connection.repository(remote.reference())) {
          Copy.copy(layout, target.tag(), repository, target.tag(), CopyOptions.defaults());
          return attach(repository, manifest, remote.reference() + "@" + manifest.digest(), bundle, signatureBundle);
        }
      }
      return attach(layout, manifest, layoutDir + ":" + target.tag() + "@" + manifest.digest(), bundle,
          signatureBundle);
    } finally {
      Trees.deleteRecursively(scratch);
    }
  }

  private static Path contentDirectory(Bundle bundle) throws IOException {
    Path root = bundle.directory().toAbsolutePath().normalize();
    Path content = root;
    if (bundle.subDirectory() != null) {
      content = root.resolve(bundle.subDirectory()).normalize();
      if (!content.startsWith(root)) {
        throw new IllegalArgumentException("sub-directory \"" + bundle.subDirectory() + "\" leads out of " + root);
      }
    }
    if (!Files.isDirectory(content)) {
      throw new java.nio.file.NotDirectoryException(content + " (give a directory to package)");
    }
    return content;
  }

  /**
   * Packs the directory into a file store (reproducible tar), copies the layer into the layout and
   * packs the manifest there (not in the file store, which would take the manifest's title
   * annotation for a file name).
   */
  private static Descriptor pack(Bundle bundle, Path content, Path work, OciLayoutStore layout, String tag)
      throws IOException {
    Files.createDirectories(work);
    try (FileStore files = FileStore.open(work, FileStoreOptions.builder().tarReproducible(true).build())) {
      String title = content.getFileName() == null ? "bundle" : content.getFileName().toString();
      Descriptor layer = files.add(title, MediaTypes.OCI_LAYER_GZIP, content);
      Copy.copyGraph(files, layout, layer, CopyGraphOptions.defaults());
      Map<String, String> annotations = new HashMap<>(bundle.annotations());
      annotations.put(Annotations.CREATED, rfc3339(bundle.created()));
      annotations.putIfAbsent(Annotations.TITLE, title);
      Descriptor manifest = Packer.packManifest(layout, PackManifestVersion.V1_1, bundle.artifactType(),
          PackManifestOptions.defaults().withLayers(List.of(layer)).withManifestAnnotations(annotations));
      layout.tag(manifest, tag);
      return manifest;
    }
  }

  /** Pushes the signature bundle and a referrer manifest naming it, tagged {@code <algorithm>-<hex>} of its own digest. */
  private static Published attach(Target target, Descriptor manifest, String reference, Bundle bundle,
      byte @Nullable [] signatureBundle) throws IOException {
    if (signatureBundle == null) {
      return new Published(manifest, reference, null, null);
    }
    Descriptor blob = Descriptor.of(SIGSTORE_BUNDLE, signatureBundle)
        .withAnnotations(Map.of(Annotations.TITLE, "signature.sigstore.json"));
    try {
      target.push(blob, new ByteArrayInputStream(signatureBundle));
    } catch (AlreadyExistsException e) {
      // the same bundle was attached before: content-addressed, nothing to do
    }
    Descriptor signature = Packer.packManifest(target, PackManifestVersion.V1_1, SIGSTORE_BUNDLE,
        PackManifestOptions.defaults().withSubject(manifest.plain()).withLayers(List.of(blob))
            .withManifestAnnotations(Map.of(Annotations.CREATED, rfc3339(bundle.created()))));
    String signatureTag = signature.digest().algorithm() + "-" + signature.digest().encoded();
    target.tag(signature, signatureTag);
    return new Published(manifest, reference, signature, signatureTag);
  }

  static String rfc3339(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Publishes a directory: {@code BundlePublisher <directory> <target> [sub-directory]}, where the
   * target is a layout path or {@code oci://host[:port]/repository[:tag]} (default tag
   * {@code latest}). Set {@code STEVEDORE_PLAIN_HTTP=1} for a plain-HTTP registry,
   * {@code STEVEDORE_INSECURE=1} to skip TLS verification. Credentials come from the docker config.
   *
   * @param args the arguments
   * @throws IOException if publishing fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: BundlePublisher <directory> <layout-path | oci://host[:port]/repo[:tag]> [sub-directory]");
      System.exit(2);
    }
    Bundle bundle = new Bundle(Path.of(args[0]), args.length > 2 ? args[2] : null,
        "application/vnd.stevedore.example.bundle.v1",
        Map.of(Annotations.SOURCE, Path.of(args[0]).toAbsolutePath().toString()), Instant.EPOCH);
    PublishTarget target = PublishTarget.parse(args[1], "latest");
    byte[] signature = ("{\"mediaType\":\"" + SIGSTORE_BUNDLE + "\",\"verificationMaterial\":{},"
        + "\"messageSignature\":{}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Published published = publish(bundle, target, Examples.connectionFromEnvironment(), signature);
    System.out.println("published " + published.reference());
    System.out.println("  digest     " + published.digest());
    System.out.println("  media type " + published.mediaType());
    System.out.println("  size       " + published.size());
    System.out.println("  signature  " + published.signature() + " tagged " + published.signatureTag());
  }
}
