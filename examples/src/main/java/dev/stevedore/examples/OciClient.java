package dev.stevedore.examples;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.Index;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Reference;
import dev.stevedore.content.Schema1;
import dev.stevedore.content.remote.Registry;
import dev.stevedore.content.remote.Repository;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * Example 4, a registry client facade of the kind tools wrap around an OCI library: raw manifest
 * get and put, blob fetch (through a local {@link BlobCache}) and push, tag and repository
 * listing, finding a layer by title, media type or digest, telling a multi-arch index from a single
 * image, references whose "tag" is a digest, and legacy Docker schema-1 manifests read and
 * converted to schema 2 with {@link Schema1}.
 *
 * <p>References are {@code repository:tag}, {@code repository@digest},
 * {@code repository:tag@digest} (the digest wins), or {@code repository:sha256:<hex>} (a "tag" that
 * is a digest is used as the digest), optionally preceded by this registry's host. Thread-safe; close it to release the connections.
 */
public final class OciClient implements AutoCloseable {
  /** The manifest types asked for: the defaults and, for legacy registries, Docker schema 1. */
  static final List<String> ACCEPTED = List.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST,
      MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST, MediaTypes.OCI_ARTIFACT_MANIFEST,
      MediaTypes.DOCKER_MANIFEST_SCHEMA1_SIGNED, MediaTypes.DOCKER_MANIFEST_SCHEMA1);

  private final Registry registry;
  private final BlobCache cache;
  private final ConcurrentMap<String, Repository> repositories = new ConcurrentHashMap<>();

  private OciClient(Registry registry, BlobCache cache) {
    this.registry = registry;
    this.cache = cache;
  }

  /**
   * Opens a client of one registry.
   *
   * @param host the registry host with an optional port
   * @param connection transport and credentials
   * @param cache the blob cache
   * @return the client
   */
  public static OciClient open(String host, RegistryConnection connection, BlobCache cache) {
    return new OciClient(connection.registryBuilder(host).manifestMediaTypes(ACCEPTED).build(),
        Objects.requireNonNull(cache, "cache"));
  }

  /** What a reference names in this registry: a repository and a tag or digest. */
  record Target(String repository, String reference) {}

  /** Kinds of manifests a client tells apart. */
  public enum Kind {
    /** An OCI index or Docker manifest list: one manifest per platform. */
    MULTI_ARCH_INDEX,
    /** A single image (or artifact) manifest, OCI or Docker schema 2. */
    SINGLE_IMAGE,
    /** A legacy Docker schema-1 manifest. */
    DOCKER_SCHEMA1
  }

  /**
   * A manifest as the registry sent it.
   *
   * @param descriptor its descriptor (media type from the registry)
   * @param content its bytes
   */
  public record RawManifest(Descriptor descriptor, byte[] content) {
    /** Copies the bytes. */
    public RawManifest {
      Objects.requireNonNull(descriptor, "descriptor");
      content = content.clone();
    }

    /**
     * The content, a copy.
     *
     * @return the bytes
     */
    @Override
    public byte[] content() {
      return content.clone();
    }

    /**
     * What kind of manifest this is.
     *
     * @return the kind
     * @throws IllegalStateException for a media type that is not a manifest
     */
    public Kind kind() {
      String type = descriptor.mediaType();
      if (MediaTypes.isIndex(type)) {
        return Kind.MULTI_ARCH_INDEX;
      }
      if (Schema1.isSchema1(type)) {
        return Kind.DOCKER_SCHEMA1;
      }
      if (MediaTypes.isManifest(type)) {
        return Kind.SINGLE_IMAGE;
      }
      throw new IllegalStateException(descriptor.digest() + ": " + type + " is not a manifest type");
    }
  }

  /** How {@link #findLayer} picks a layer. */
  public sealed interface LayerQuery {
    /**
     * Whether a layer matches.
     *
     * @param layer the layer
     * @return true when it matches
     */
    boolean matches(Descriptor layer);

    /**
     * By {@code org.opencontainers.image.title}.
     *
     * @param title the title
     */
    record ByTitle(String title) implements LayerQuery {
      @Override
      public boolean matches(Descriptor layer) {
        return title.equals(layer.annotation(Annotations.TITLE));
      }
    }

    /**
     * By media type.
     *
     * @param mediaType the media type
     */
    record ByMediaType(String mediaType) implements LayerQuery {
      @Override
      public boolean matches(Descriptor layer) {
        return mediaType.equals(layer.mediaType());
      }
    }

    /**
     * By digest.
     *
     * @param digest the digest
     */
    record ByDigest(Digest digest) implements LayerQuery {
      @Override
      public boolean matches(Descriptor layer) {
        return digest.equals(layer.digest());
      }
    }
  }

  /**
   * Splits a reference into repository and tag or digest; a tag that is a digest is used as the digest.
   *
   * @param value {@code repo:tag}, {@code repo@digest}, {@code repo:tag@digest} or {@code repo:sha256:<hex>}
   * @return the target
   * @throws InvalidReferenceException if the value names no tag or digest, or breaks the grammar
   */
  static Target parse(String value) throws InvalidReferenceException {
    Objects.requireNonNull(value, "value");
    return parseRelative(value);
  }

  /** As {@link #parse}, also accepting a full reference to this client's registry ({@code host/repo:tag}). */
  private Target parseHere(String value) throws InvalidReferenceException {
    String prefix = registry.host() + "/";
    return parseRelative(value.startsWith(prefix) ? value.substring(prefix.length()) : value);
  }

  private static Target parseRelative(String value) throws InvalidReferenceException {
    String repository;
    String reference;
    int at = value.indexOf('@');
    if (at >= 0) {
      repository = value.substring(0, at);
      int colon = repository.lastIndexOf(':');
      if (colon > repository.lastIndexOf('/')) {
        repository = repository.substring(0, colon);
      }
      reference = value.substring(at + 1);
    } else {
      // "repo:sha256:<hex>": a digest given where a tag goes
      int colon = value.indexOf(':');
      if (colon < 0) {
        throw new InvalidReferenceException("reference \"" + value + "\" names no tag or digest: use repo:tag or repo@digest");
      }
      repository = value.substring(0, colon);
      reference = value.substring(colon + 1);
    }
    if (!Reference.isValidRepository(repository)) {
      throw new InvalidReferenceException("invalid repository \"" + repository + "\" in \"" + value + "\"");
    }
    if (Digest.tryParse(reference).isPresent()) {
      return new Target(repository, reference);
    }
    if (reference.contains(":")) {
      throw new InvalidReferenceException("\"" + reference + "\" in \"" + value + "\" is neither a tag nor a valid"
          + " digest: a digest is sha256:<64 hex characters>");
    }
    if (!Reference.isValidTag(reference)) {
      throw new InvalidReferenceException("invalid tag \"" + reference + "\" in \"" + value + "\"");
    }
    return new Target(repository, reference);
  }

  private Repository repository(String name) {
    return repositories.computeIfAbsent(name, n -> {
      try {
        return registry.repository(n);
      } catch (InvalidReferenceException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    });
  }

  /**
   * Gets a manifest as the registry sends it (one request).
   *
   * @param reference see the class description
   * @return the manifest
   * @throws dev.stevedore.content.NotFoundException if there is none
   * @throws IOException if the registry fails
   */
  public RawManifest getManifest(String reference) throws IOException {
    Target target = parseHere(reference);
    try (FetchedReference fetched = repository(target.repository()).fetchReference(target.reference())) {
      byte[] bytes = Contents.readAll(fetched.content(), fetched.descriptor(), Contents.DEFAULT_MAX_METADATA_BYTES);
      return new RawManifest(fetched.descriptor(), bytes);
    }
  }

  /**
   * Puts a manifest under a tag (or only by digest when the reference is a digest).
   *
   * @param reference {@code repo:tag} or {@code repo@digest}
   * @param mediaType the manifest's media type
   * @param content the manifest bytes
   * @return its descriptor
   * @throws IOException if the registry refuses (e.g. content it names is missing)
   */
  public Descriptor putManifest(String reference, String mediaType, byte[] content) throws IOException {
    Target target = parseHere(reference);
    Descriptor desc = Descriptor.of(mediaType, content);
    repository(target.repository()).pushReference(desc, new ByteArrayInputStream(content), target.reference());
    return desc;
  }

  /**
   * Opens a blob, from the local cache when it was fetched before (no request then).
   *
   * @param repository the repository
   * @param digest the blob's digest
   * @return the verified content; the caller closes it
   * @throws dev.stevedore.content.NotFoundException if the repository has no such blob
   * @throws IOException if fetching fails
   */
  public InputStream fetchBlob(String repository, Digest digest) throws IOException {
    Repository repo = repository(repository);
    return cache.fetch(digest, d -> {
      Descriptor desc = repo.resolveBlob(d);
      return new FetchedReference(desc, repo.fetch(desc));
    });
  }

  /**
   * Pushes a blob.
   *
   * @param repository the repository
   * @param mediaType the media type to describe it with
   * @param content the bytes
   * @return its descriptor
   * @throws IOException if the push fails
   */
  public Descriptor pushBlob(String repository, String mediaType, byte[] content) throws IOException {
    Descriptor desc = Descriptor.of(mediaType, content);
    repository(repository).push(desc, new ByteArrayInputStream(content));
    return desc;
  }

  /**
   * Lists a repository's tags.
   *
   * @param repository the repository
   * @return the tags, sorted
   * @throws IOException if the listing fails
   */
  public List<String> listTags(String repository) throws IOException {
    return repository(repository).listTags();
  }

  /**
   * Lists the registry's repositories (the catalog).
   *
   * @return the names
   * @throws IOException if the listing fails
   */
  public List<String> listRepositories() throws IOException {
    return registry.listRepositories();
  }

  /**
   * Finds the first layer of an image manifest that matches.
   *
   * @param manifest a single-image manifest
   * @param query how to match
   * @return the layer, or empty
   * @throws dev.stevedore.content.InvalidDescriptorException if the manifest is not an image manifest
   */
  public static Optional<Descriptor> findLayer(RawManifest manifest, LayerQuery query)
      throws dev.stevedore.content.InvalidDescriptorException {
    if (manifest.kind() != Kind.SINGLE_IMAGE) {
      throw new dev.stevedore.content.InvalidDescriptorException(manifest.descriptor().digest() + ": "
          + manifest.descriptor().mediaType() + " has no layers; pick a platform's manifest first");
    }
    return Manifest.parse(manifest.content()).layers().stream().filter(query::matches).findFirst();
  }

  /**
   * Tells whether a reference names a multi-arch index.
   *
   * @param reference see the class description
   * @return true for an OCI index or Docker manifest list
   * @throws IOException if the registry fails
   */
  public boolean isMultiArch(String reference) throws IOException {
    return getManifest(reference).kind() == Kind.MULTI_ARCH_INDEX;
  }

  /**
   * The platform manifests of an index.
   *
   * @param index a multi-arch manifest
   * @return its entries
   * @throws dev.stevedore.content.InvalidDescriptorException if it is not an index
   */
  public static List<Descriptor> platforms(RawManifest index) throws dev.stevedore.content.InvalidDescriptorException {
    if (index.kind() != Kind.MULTI_ARCH_INDEX) {
      throw new dev.stevedore.content.InvalidDescriptorException(index.descriptor().digest() + " is not an index");
    }
    return Index.parse(index.content()).manifests();
  }

  /**
   * Converts a legacy Docker schema-1 manifest of a repository to schema 2 (layers read from the
   * repository to compute their diff ids), pushes the config and the new manifest, and tags it.
   *
   * @param repository the repository holding the layers
   * @param schema1 the schema-1 manifest bytes (e.g. {@link RawManifest#content()} of a legacy image)
   * @param tag the tag for the converted manifest, or null to push it by digest only
   * @return the conversion
   * @throws IOException if the manifest is malformed, a layer is missing or does not match, or a push fails
   */
  public Schema1.Converted convertSchema1(String repository, byte[] schema1, @Nullable String tag) throws IOException {
    Repository repo = repository(repository);
    Schema1.Converted converted = Schema1.convert(schema1, new Schema1.LayerSource() {
      @Override
      public Descriptor describe(Digest blobSum) throws IOException {
        return repo.resolveBlob(blobSum);
      }

      @Override
      public InputStream open(Descriptor layer) throws IOException {
        return fetchBlob(repository, layer.digest());
      }
    });
    repo.push(converted.configDescriptor(), new ByteArrayInputStream(converted.config()));
    InputStream manifest = new ByteArrayInputStream(converted.manifestBytes());
    if (tag == null) {
      repo.push(converted.manifestDescriptor(), manifest);
    } else {
      repo.pushReference(converted.manifestDescriptor(), manifest, tag);
    }
    return converted;
  }

  /** Closes the registry's connections. */
  @Override
  public void close() {
    registry.close();
  }

  /**
   * Prints what a reference is: {@code OciClient <host> <repo:tag|repo@digest> [cache-dir]}.
   *
   * @param args the arguments
   * @throws IOException if the registry fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: OciClient <host[:port]> <repo:tag | repo@digest> [cache-dir]");
      System.exit(2);
    }
    BlobCache cache = BlobCache.open(java.nio.file.Path.of(args.length > 2 ? args[2]
        : System.getProperty("java.io.tmpdir") + "/stevedore-blob-cache"));
    try (OciClient client = open(args[0], Examples.connectionFromEnvironment(), cache)) {
      RawManifest manifest = client.getManifest(args[1]);
      System.out.println(args[1] + " -> " + manifest.descriptor() + ": " + manifest.kind());
      switch (manifest.kind()) {
        case MULTI_ARCH_INDEX -> platforms(manifest).forEach(m -> System.out.println("  " + m.platform() + " " + m.digest()));
        case SINGLE_IMAGE -> Manifest.parse(manifest.content()).layers().forEach(l -> System.out.println("  " + l));
        case DOCKER_SCHEMA1 -> System.out.println("  legacy schema 1: convert with convertSchema1");
      }
      System.out.println("tags: " + client.listTags(client.parseHere(args[1]).repository()));
    }
  }
}
