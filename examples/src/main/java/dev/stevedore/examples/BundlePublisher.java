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

  /** NVIDIA AICR's artifact type, the one {@code main} publishes with. */
  public static final String AICR_ARTIFACT_TYPE = "application/vnd.nvidia.aicr.artifact";

  /**
   * AICR's reproducible timestamp, written as the created annotation of referrers: the Unix epoch.
   */
  public static final Instant REPRODUCIBLE_TIMESTAMP = Instant.EPOCH;

  /** The file name a referrer's single layer gets (its title annotation), as AICR names it. */
  public static final String REFERRER_LAYER_TITLE = "payload";

  private BundlePublisher() {}

  /**
   * What to package.
   *
   * @param directory the directory
   * @param subDirectory a relative path inside it to package instead of the whole, or null
   * @param artifactType the artifact type of the manifest
   * @param annotations more manifest annotations, e.g. {@link Annotations#SOURCE}, {@link
   *     Annotations#VERSION}
   * @param created the creation time written as {@link Annotations#CREATED} (seconds): fixed for
   *     reproducible digests
   */
  public record Bundle(
      Path directory,
      @Nullable String subDirectory,
      String artifactType,
      Map<String, String> annotations,
      Instant created) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the artifact type is not a media type
     */
    public Bundle {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(created, "created");
      if (!Packer.isValidMediaType(artifactType)) {
        throw new IllegalArgumentException(
            "invalid artifact type \"" + artifactType + "\": expected type/subtype");
      }
      annotations = Map.copyOf(annotations);
      subDirectory = subDirectory == null || subDirectory.isEmpty() ? null : subDirectory;
    }
  }

  /**
   * What was published.
   *
   * @param manifest the artifact's manifest descriptor
   * @param reference the reference, as AICR reports it: {@code registry/repository:tag}, or {@code
   *     layout-path:tag}
   * @param storePath the OCI layout the artifact was packaged into (a temporary one, deleted, for a
   *     registry target)
   * @param signature the signature referrer's manifest, or null when none was attached
   * @param signatureTag the tag of the signature referrer (its digest's hex), or null
   */
  public record Published(
      Descriptor manifest,
      String reference,
      Path storePath,
      @Nullable Descriptor signature,
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
   * Packages a directory into an OCI layout (the target's, or a temporary one pushed to the target
   * registry), and attaches a signature bundle when one is given.
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
  public static Published publish(
      Bundle bundle,
      PublishTarget target,
      RegistryConnection connection,
      byte @Nullable [] signatureBundle)
      throws IOException {
    Path content = contentDirectory(bundle);
    Path scratch = Files.createTempDirectory("stevedore-bundle-");
    try {
      Path layoutDir =
          target instanceof PublishTarget.Layout layout
              ? layout.directory()
              : scratch.resolve("layout");
      OciLayoutStore layout = OciLayoutStore.open(layoutDir);
      Descriptor manifest = pack(bundle, content, scratch.resolve("work"), layout, target.tag());
      if (target instanceof PublishTarget.Remote remote) {
        PushResult pushed = pushFromStore(layoutDir, remote, connection);
        if (!pushed.descriptor().digest().equals(manifest.digest())) {
          throw new IllegalStateException(
              "the registry resolved " + pushed.descriptor() + " for " + manifest);
        }
        try (Repository repository = connection.repository(remote.reference())) {
          return attach(repository, manifest, pushed.reference(), layoutDir, signatureBundle);
        }
      }
      return attach(layout, manifest, layoutDir + ":" + target.tag(), layoutDir, signatureBundle);
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
        throw new IllegalArgumentException(
            "sub-directory \"" + bundle.subDirectory() + "\" leads out of " + root);
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
  private static Descriptor pack(
      Bundle bundle, Path content, Path work, OciLayoutStore layout, String tag)
      throws IOException {
    Files.createDirectories(work);
    try (FileStore files =
        FileStore.open(work, FileStoreOptions.builder().tarReproducible(true).build())) {
      String title = content.getFileName() == null ? "bundle" : content.getFileName().toString();
      Descriptor layer = files.add(title, MediaTypes.OCI_LAYER_GZIP, content);
      Copy.copyGraph(files, layout, layer, CopyGraphOptions.defaults());
      Map<String, String> annotations = new HashMap<>(bundle.annotations());
      annotations.put(Annotations.CREATED, rfc3339(bundle.created()));
      Descriptor manifest =
          Packer.packManifest(
              layout,
              PackManifestVersion.V1_1,
              bundle.artifactType(),
              PackManifestOptions.defaults()
                  .withLayers(List.of(layer))
                  .withManifestAnnotations(annotations));
      layout.tag(manifest, tag);
      return manifest;
    }
  }

  /**
   * What a push gave, as AICR's {@code PushResult}.
   *
   * @param descriptor the manifest pushed (media type, digest, size)
   * @param reference {@code registry/repository:tag}, or {@code registry/repository@digest} for a
   *     referrer
   * @param tag the tag it got
   */
  public record PushResult(Descriptor descriptor, String reference, String tag) {
    /**
     * The digest.
     *
     * @return e.g. {@code sha256:...}
     */
    public String digest() {
      return descriptor.digest().toString();
    }
  }

  /**
   * Pushes an artifact already packaged into an OCI layout directory (AICR's {@code
   * PushFromStore}): the target's tag is resolved in the layout and copied, with everything it
   * references, to the target repository under the same tag.
   *
   * @param layoutDirectory the OCI layout
   * @param target the repository and tag
   * @param connection how to reach the registry
   * @return the manifest pushed and {@code registry/repository:tag}
   * @throws dev.stevedore.content.NotFoundException if the layout has no such tag
   * @throws IOException if the layout cannot be read or the push fails
   */
  public static PushResult pushFromStore(
      Path layoutDirectory, PublishTarget.Remote target, RegistryConnection connection)
      throws IOException {
    if (!Files.isRegularFile(layoutDirectory.resolve("oci-layout"))) {
      throw new java.nio.file.NoSuchFileException(
          layoutDirectory.toString(),
          null,
          "not an OCI layout (no oci-layout file); package the artifact first");
    }
    OciLayoutStore layout = OciLayoutStore.open(layoutDirectory);
    try (Repository repository = connection.repository(target.reference())) {
      Descriptor root =
          Copy.copy(layout, target.tag(), repository, target.tag(), CopyOptions.defaults());
      return new PushResult(
          root.plain(),
          target.reference().registry()
              + "/"
              + target.reference().repository()
              + ":"
              + target.tag(),
          target.tag());
    }
  }

  /**
   * A referrer to push (AICR's {@code ReferrerOptions}): a manifest with one layer whose media type
   * is the artifact type, attached to a subject.
   *
   * @param artifactType the referrer's artifact type, e.g. {@link #SIGSTORE_BUNDLE}
   * @param layerContent the single blob
   * @param subject the artifact referred to
   * @param annotations the referrer manifest's annotations
   */
  // the blob stays an array (it is pushed as is); the record copies it in and out
  @SuppressWarnings("ArrayRecordComponent")
  public record Referrer(
      String artifactType,
      byte[] layerContent,
      @Nullable Descriptor subject,
      Map<String, String> annotations) {
    /**
     * Validates with AICR's messages and copies.
     *
     * @throws IllegalArgumentException "ArtifactType is required", "LayerContent must be non-empty"
     *     or "Subject.Digest is required"
     */
    public Referrer {
      if (artifactType == null || artifactType.isEmpty()) {
        throw new IllegalArgumentException("ArtifactType is required");
      }
      if (layerContent == null || layerContent.length == 0) {
        throw new IllegalArgumentException("LayerContent must be non-empty");
      }
      if (subject == null) {
        throw new IllegalArgumentException("Subject.Digest is required");
      }
      layerContent = layerContent.clone();
      annotations = Map.copyOf(annotations);
    }

    /**
     * The single blob, a copy.
     *
     * @return the layer content
     */
    @Override
    public byte[] layerContent() {
      return layerContent.clone();
    }
  }

  /**
   * Pushes a referrer to a repository (AICR's {@code PushReferrer}): the layer (title {@value
   * #REFERRER_LAYER_TITLE}), a manifest with the caller's annotations and the created time {@link
   * #REPRODUCIBLE_TIMESTAMP}, tagged with its own digest's hex so several referrers coexist.
   *
   * @param repository the repository of the subject
   * @param referrer what to push
   * @return the referrer manifest and {@code registry/repository@digest}
   * @throws IOException if a push fails
   */
  public static PushResult pushReferrer(Repository repository, Referrer referrer)
      throws IOException {
    PushResult pushed = attachReferrer(repository, referrer);
    return new PushResult(
        pushed.descriptor(),
        repository.registry() + "/" + repository.name() + "@" + pushed.digest(),
        pushed.tag());
  }

  private static PushResult attachReferrer(Target target, Referrer referrer) throws IOException {
    Descriptor blob =
        Descriptor.of(referrer.artifactType(), referrer.layerContent())
            .withAnnotations(Map.of(Annotations.TITLE, REFERRER_LAYER_TITLE));
    try {
      target.push(blob, new ByteArrayInputStream(referrer.layerContent()));
    } catch (AlreadyExistsException e) {
      // the same blob was attached before: content-addressed, nothing to do
    }
    Map<String, String> annotations = new HashMap<>(referrer.annotations());
    annotations.put(Annotations.CREATED, rfc3339(REPRODUCIBLE_TIMESTAMP));
    Descriptor manifest =
        Packer.packManifest(
            target,
            PackManifestVersion.V1_1,
            referrer.artifactType(),
            PackManifestOptions.defaults()
                .withSubject(Objects.requireNonNull(referrer.subject()))
                .withLayers(List.of(blob))
                .withManifestAnnotations(annotations));
    String tag = manifest.digest().encoded();
    target.tag(manifest, tag);
    return new PushResult(manifest, tag, tag);
  }

  /** Attaches the signature bundle as a referrer, when one is given. */
  private static Published attach(
      Target target,
      Descriptor manifest,
      String reference,
      Path storePath,
      byte @Nullable [] signatureBundle)
      throws IOException {
    if (signatureBundle == null) {
      return new Published(manifest, reference, storePath, null, null);
    }
    PushResult signature =
        attachReferrer(
            target, new Referrer(SIGSTORE_BUNDLE, signatureBundle, manifest.plain(), Map.of()));
    return new Published(manifest, reference, storePath, signature.descriptor(), signature.tag());
  }

  /**
   * AICR's default manifest annotations (used when the caller gives none).
   *
   * @param version the version written as {@link Annotations#VERSION}
   * @return version, vendor, title and source
   */
  public static Map<String, String> aicrAnnotations(String version) {
    return Map.of(
        Annotations.VERSION,
        version,
        Annotations.VENDOR,
        "NVIDIA",
        Annotations.TITLE,
        "AICR Bundle",
        Annotations.SOURCE,
        "https://github.com/NVIDIA/aicr");
  }

  static String rfc3339(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Publishes a directory: {@code BundlePublisher <directory> <target> [sub-directory]}, where the
   * target is a layout path or {@code oci://host[:port]/repository[:tag]} (default tag {@code
   * latest}). Set {@code STEVEDORE_PLAIN_HTTP=1} for a plain-HTTP registry, {@code
   * STEVEDORE_INSECURE=1} to skip TLS verification. Credentials come from the docker config.
   *
   * @param args the arguments
   * @throws IOException if publishing fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println(
          "usage: BundlePublisher <directory> <layout-path | oci://host[:port]/repo[:tag]> [sub-directory]");
      System.exit(2);
    }
    Bundle bundle =
        new Bundle(
            Path.of(args[0]),
            args.length > 2 ? args[2] : null,
            AICR_ARTIFACT_TYPE,
            aicrAnnotations("0.0.0"),
            REPRODUCIBLE_TIMESTAMP);
    PublishTarget target = PublishTarget.parse(args[1], "latest");
    byte[] signature =
        ("{\"mediaType\":\""
                + SIGSTORE_BUNDLE
                + "\",\"verificationMaterial\":{},"
                + "\"messageSignature\":{}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Published published = publish(bundle, target, Examples.connectionFromEnvironment(), signature);
    System.out.println("published " + published.reference());
    System.out.println("  digest     " + published.digest());
    System.out.println("  media type " + published.mediaType());
    System.out.println("  size       " + published.size());
    System.out.println(
        "  signature  " + published.signature() + " tagged " + published.signatureTag());
  }
}
