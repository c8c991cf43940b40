package dev.stevedore.examples;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.Index;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.LegacyMediaTypes;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * Example 4, a registry client facade of the kind tools wrap around an OCI library: raw manifest
 * get and put, blob fetch (through a local {@link BlobCache}) and push, tag and repository listing,
 * finding a layer by title, media type or digest, telling a multi-arch index from a single image,
 * references whose "tag" is a digest, and legacy Docker schema-1 manifests read and converted to
 * schema 2 with {@link Schema1}.
 *
 * <p>References are {@code repository:tag}, {@code repository@digest}, {@code
 * repository:tag@digest} (the digest wins), or {@code repository:sha256:<hex>} (a "tag" that is a
 * digest is used as the digest), optionally preceded by this registry's host. Thread-safe; close it
 * to release the connections.
 */
public final class OciClient implements AutoCloseable {
  /** The manifest types asked for: the defaults and, for legacy registries, Docker schema 1. */
  static final List<String> ACCEPTED =
      List.of(
          MediaTypes.OCI_INDEX,
          MediaTypes.DOCKER_MANIFEST_LIST,
          MediaTypes.OCI_MANIFEST,
          MediaTypes.DOCKER_MANIFEST,
          MediaTypes.OCI_ARTIFACT_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_SCHEMA1_SIGNED,
          MediaTypes.DOCKER_MANIFEST_SCHEMA1);

  /** Gardener's media type of a Docker schema-1 manifest. */
  public static final String MEDIA_TYPE_DOCKER_V2_SCHEMA1_MANIFEST =
      MediaTypes.DOCKER_MANIFEST_SCHEMA1;

  /** Gardener's media type of a signed Docker schema-1 manifest. */
  public static final String MEDIA_TYPE_DOCKER_V2_SCHEMA1_SIGNED_MANIFEST =
      MediaTypes.DOCKER_MANIFEST_SCHEMA1_SIGNED;

  /** Gardener's zstd image layer type. */
  public static final String MEDIA_TYPE_IMAGE_LAYER_ZSTD = MediaTypes.OCI_LAYER_ZSTD;

  /** A tar blob. */
  public static final String MEDIA_TYPE_TAR = LegacyMediaTypes.TAR;

  /** A tar+gzip blob. */
  public static final String MEDIA_TYPE_TAR_GZIP = LegacyMediaTypes.TAR_GZIP;

  private final Registry registry;
  private final BlobCache cache;
  private final Options options;
  private final boolean plainHttp;
  private final ConcurrentMap<String, Repository> repositories = new ConcurrentHashMap<>();

  private OciClient(Registry registry, BlobCache cache, Options options, boolean plainHttp) {
    this.registry = registry;
    this.cache = cache;
    this.options = options;
    this.plainHttp = plainHttp;
  }

  /**
   * Client options, as Gardener's {@code Options}.
   *
   * @param configPaths docker config files searched for credentials, first hit wins (see {@link
   *     DockerConfigPaths}); empty to use the connection's credentials
   * @param allowPlainHttp fall back to plain HTTP when the registry does not speak TLS
   * @param knownMediaTypes media types known besides the OCI and Docker ones (default {@link
   *     LegacyMediaTypes#DEFAULT_KNOWN})
   */
  public record Options(
      List<java.nio.file.Path> configPaths, boolean allowPlainHttp, Set<String> knownMediaTypes) {
    /** Copies. */
    public Options {
      configPaths = List.copyOf(configPaths);
      knownMediaTypes = Set.copyOf(knownMediaTypes);
    }

    /**
     * No config paths, no plain-HTTP fallback, the default known media types.
     *
     * @return the options
     */
    public static Options defaults() {
      return new Options(List.of(), false, LegacyMediaTypes.DEFAULT_KNOWN);
    }

    /**
     * A copy with docker config files to search.
     *
     * @param paths the files, in order
     * @return the new options
     */
    public Options withConfigPaths(List<java.nio.file.Path> paths) {
      return new Options(paths, allowPlainHttp, knownMediaTypes);
    }

    /**
     * A copy that allows (or not) the plain-HTTP fallback.
     *
     * @param allow whether to fall back
     * @return the new options
     */
    public Options withAllowPlainHttp(boolean allow) {
      return new Options(configPaths, allow, knownMediaTypes);
    }

    /**
     * A copy with one more known media type (Gardener's {@code WithKnownMediaType}).
     *
     * @param mediaType the media type
     * @return the new options
     */
    public Options withKnownMediaType(String mediaType) {
      Set<String> known = new java.util.HashSet<>(knownMediaTypes);
      known.add(mediaType);
      return new Options(configPaths, allowPlainHttp, known);
    }
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
    return open(host, connection, cache, Options.defaults());
  }

  /**
   * Opens a client of one registry with Gardener's options. With {@link Options#allowPlainHttp()},
   * a registry that does not speak TLS (the handshake fails, or it answers HTTPS with plain HTTP)
   * is used over plain HTTP instead; without it, that failure is reported.
   *
   * @param host the registry host with an optional port
   * @param connection transport and credentials (replaced by {@link Options#configPaths()} when
   *     given)
   * @param cache the blob cache
   * @param options the options
   * @return the client
   */
  public static OciClient open(
      String host, RegistryConnection connection, BlobCache cache, Options options) {
    Objects.requireNonNull(cache, "cache");
    RegistryConnection effective =
        options.configPaths().isEmpty()
            ? connection
            : connection.withCredentials(new DockerConfigPaths(options.configPaths()));
    Registry registry = effective.registryBuilder(host).manifestMediaTypes(ACCEPTED).build();
    boolean plain = effective.transport() == RegistryConnection.Transport.PLAIN_HTTP;
    if (options.allowPlainHttp() && !plain) {
      try {
        registry.ping();
      } catch (IOException e) {
        if (isTlsMismatch(e)) {
          registry.close();
          registry =
              effective
                  .withTransport(RegistryConnection.Transport.PLAIN_HTTP)
                  .registryBuilder(host)
                  .manifestMediaTypes(ACCEPTED)
                  .build();
          plain = true;
        }
        // anything else (401, unreachable) surfaces on first use, as it would without the check
      }
    }
    return new OciClient(registry, cache, options, plain);
  }

  /** A TLS handshake that failed because the other side speaks plain HTTP. */
  static boolean isTlsMismatch(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String name = t.getClass().getName();
      String message = String.valueOf(t.getMessage());
      if (t instanceof javax.net.ssl.SSLException
          || name.contains("NotSslRecord")
          || message.contains("TLS handshake failed")
          || message.contains("HTTP response to HTTPS client")
          || message.contains("not an SSL/TLS record")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether this client talks plain HTTP (asked for, or fallen back to).
   *
   * @return true for plain HTTP
   */
  public boolean plainHttp() {
    return plainHttp;
  }

  /**
   * Whether a media type is one this client knows: OCI and Docker manifests, indexes, configs and
   * layers, and the options' known media types (by default {@code application/tar+gzip} and {@code
   * application/tar}).
   *
   * @param mediaType the media type
   * @return true when known
   */
  public boolean isKnownMediaType(String mediaType) {
    return MediaTypes.isManifest(mediaType)
        || options.knownMediaTypes().contains(mediaType)
        || mediaType.startsWith("application/vnd.oci.image.")
        || mediaType.startsWith("application/vnd.docker.")
        || MediaTypes.OCI_EMPTY.equals(mediaType);
  }

  /**
   * Whether a media type is a multi-arch image (Gardener's {@code IsMultiArchImage}).
   *
   * @param mediaType the manifest media type
   * @return true for an OCI index or Docker manifest list
   */
  public static boolean isMultiArchImage(String mediaType) {
    return MediaTypes.OCI_INDEX.equals(mediaType)
        || MediaTypes.DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /**
   * Whether a media type is a single-arch image (Gardener's {@code IsSingleArchImage}).
   *
   * @param mediaType the manifest media type
   * @return true for an OCI image manifest or Docker schema-2 manifest
   */
  public static boolean isSingleArchImage(String mediaType) {
    return MediaTypes.OCI_MANIFEST.equals(mediaType)
        || MediaTypes.DOCKER_MANIFEST.equals(mediaType);
  }

  /**
   * Whether a tag is really a digest (Gardener's {@code TagIsDigest}).
   *
   * @param tag the tag
   * @return true for {@code algorithm:encoded} that parses as a digest
   */
  public static boolean tagIsDigest(String tag) {
    return Digest.tryParse(tag).isPresent();
  }

  /**
   * An image reference split into repository and version (Gardener's {@code ParseImageRef}).
   *
   * @param repository {@code host/path}
   * @param version the tag, or the digest for {@code @digest} references
   */
  public record ImageRef(String repository, String version) {}

  /**
   * Splits {@code host/path:tag} or {@code host/path@digest} (the digest wins over a tag).
   *
   * @param ref the reference
   * @return repository and version
   * @throws InvalidReferenceException if there is no tag or digest, or the parts are invalid
   */
  public static ImageRef parseImageRef(String ref) throws InvalidReferenceException {
    Reference parsed = Reference.parse(ref);
    String version = parsed.digest() != null ? parsed.digest().toString() : parsed.tag();
    if (version == null) {
      throw new InvalidReferenceException(
          "image reference \"" + ref + "\" has no tag or digest: add :tag or @digest");
    }
    return new ImageRef(parsed.registry() + "/" + parsed.repository(), version);
  }

  /**
   * The layers with a digest (Gardener's {@code GetLayerByDigest}): every match, in order.
   *
   * @param layers the layers
   * @param digest the digest
   * @return the matches, possibly empty
   */
  public static List<Descriptor> layersByDigest(List<Descriptor> layers, String digest) {
    return layers.stream().filter(l -> l.digest().toString().equals(digest)).toList();
  }

  /**
   * The layers with a media type (Gardener's {@code GetLayerByMediaType}): every match, in order.
   *
   * @param layers the layers
   * @param mediaType the media type
   * @return the matches, possibly empty
   */
  public static List<Descriptor> layersByMediaType(List<Descriptor> layers, String mediaType) {
    return layers.stream().filter(l -> l.mediaType().equals(mediaType)).toList();
  }

  /**
   * The first layer titled {@code name} (Gardener's {@code GetLayerByName}).
   *
   * @param layers the layers
   * @param name the {@code org.opencontainers.image.title}
   * @return the layer, or empty
   */
  public static Optional<Descriptor> layerByName(List<Descriptor> layers, String name) {
    return layers.stream().filter(l -> name.equals(l.annotation(Annotations.TITLE))).findFirst();
  }

  /**
   * Resolves a reference (Gardener's {@code Resolve}).
   *
   * @param reference see the class description
   * @return the descriptor
   * @throws IOException if it cannot be resolved
   */
  public Descriptor resolve(String reference) throws IOException {
    Target target = parseHere(reference);
    return repository(target.repository()).resolve(target.reference());
  }

  /**
   * Writes a blob or manifest of a repository into a stream (Gardener's {@code Fetch}), verified.
   *
   * @param reference a reference naming the repository (its tag or digest is ignored)
   * @param desc what to fetch
   * @param out where to write it
   * @throws IOException if fetching fails or the content does not match
   */
  public void fetch(String reference, Descriptor desc, java.io.OutputStream out)
      throws IOException {
    Target target = parseHere(reference);
    try (InputStream in =
        new dev.stevedore.content.VerifyingInputStream(
            repository(target.repository()).fetch(desc), desc)) {
      in.transferTo(out);
    }
  }

  /** Where a pushed blob's bytes come from (Gardener's push {@code Store}). */
  @FunctionalInterface
  public interface BlobSource {
    /**
     * Opens a blob.
     *
     * @param desc the blob
     * @return its content; the caller closes it
     * @throws IOException if it cannot be opened
     */
    InputStream open(Descriptor desc) throws IOException;
  }

  /**
   * Pushes a blob read from a source (Gardener's {@code PushBlob} with {@code WithStore}); a blob
   * the repository has is not sent again.
   *
   * @param reference a reference naming the repository
   * @param desc the blob
   * @param source where its bytes come from
   * @throws IOException if reading or the push fails
   */
  public void pushBlob(String reference, Descriptor desc, BlobSource source) throws IOException {
    Repository repo = repository(parseHere(reference).repository());
    if (repo.exists(desc)) {
      return;
    }
    try (InputStream in = source.open(desc)) {
      repo.push(desc, in);
    } catch (dev.stevedore.content.AlreadyExistsException e) {
      // pushed concurrently
    }
  }

  /**
   * Copies an artifact unmodified to another reference of this registry, streaming, without the
   * cache (Gardener's {@code Copy}); blobs are mounted when possible.
   *
   * @param sourceRef the source
   * @param targetRef the target ({@code repo:tag})
   * @return the root copied
   * @throws IOException if the copy fails
   */
  public Descriptor copy(String sourceRef, String targetRef) throws IOException {
    Target from = parseHere(sourceRef);
    Target to = parseHere(targetRef);
    dev.stevedore.copy.CopyGraphOptions graph =
        dev.stevedore.copy.CopyGraphOptions.defaults()
            .withMountFrom(blob -> List.of(from.repository()));
    return dev.stevedore.copy.Copy.copy(
        repository(from.repository()),
        from.reference(),
        repository(to.repository()),
        to.reference(),
        dev.stevedore.copy.CopyOptions.defaults().withGraphOptions(graph));
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
  // the bytes stay an array (they are what the registry sent); the record copies them in and out
  @SuppressWarnings("ArrayRecordComponent")
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
      throw new IllegalStateException(
          descriptor.digest() + ": " + type + " is not a manifest type");
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
   * Splits a reference into repository and tag or digest; a tag that is a digest is used as the
   * digest.
   *
   * @param value {@code repo:tag}, {@code repo@digest}, {@code repo:tag@digest} or {@code
   *     repo:sha256:<hex>}
   * @return the target
   * @throws InvalidReferenceException if the value names no tag or digest, or breaks the grammar
   */
  static Target parse(String value) throws InvalidReferenceException {
    Objects.requireNonNull(value, "value");
    return parseRelative(value);
  }

  /**
   * As {@link #parse}, also accepting a full reference to this client's registry ({@code
   * host/repo:tag}).
   */
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
        throw new InvalidReferenceException(
            "reference \"" + value + "\" names no tag or digest: use repo:tag or repo@digest");
      }
      repository = value.substring(0, colon);
      reference = value.substring(colon + 1);
    }
    if (!Reference.isValidRepository(repository)) {
      throw new InvalidReferenceException(
          "invalid repository \"" + repository + "\" in \"" + value + "\"");
    }
    if (Digest.tryParse(reference).isPresent()) {
      return new Target(repository, reference);
    }
    if (reference.contains(":")) {
      throw new InvalidReferenceException(
          "\""
              + reference
              + "\" in \""
              + value
              + "\" is neither a tag nor a valid"
              + " digest: a digest is sha256:<64 hex characters>");
    }
    if (!Reference.isValidTag(reference)) {
      throw new InvalidReferenceException("invalid tag \"" + reference + "\" in \"" + value + "\"");
    }
    return new Target(repository, reference);
  }

  private Repository repository(String name) {
    return repositories.computeIfAbsent(
        name,
        n -> {
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
    try (FetchedReference fetched =
        repository(target.repository()).fetchReference(target.reference())) {
      byte[] bytes =
          Contents.readAll(
              fetched.content(), fetched.descriptor(), Contents.DEFAULT_MAX_METADATA_BYTES);
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
  public Descriptor putManifest(String reference, String mediaType, byte[] content)
      throws IOException {
    Target target = parseHere(reference);
    Descriptor desc = Descriptor.of(mediaType, content);
    repository(target.repository())
        .pushReference(desc, new ByteArrayInputStream(content), target.reference());
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
    return cache.fetch(
        digest,
        d -> {
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
  public Descriptor pushBlob(String repository, String mediaType, byte[] content)
      throws IOException {
    Descriptor desc = Descriptor.of(mediaType, content);
    repository(repository).push(desc, new ByteArrayInputStream(content));
    return desc;
  }

  /**
   * Lists a repository's tags.
   *
   * @param repository the repository, or a reference into it ({@code repo:tag}, {@code
   *     host/repo@digest}, as Gardener's {@code ListTags(ref)} takes)
   * @return the tags, sorted
   * @throws IOException if the listing fails
   */
  public List<String> listTags(String repository) throws IOException {
    String name =
        repository.startsWith(registry.host() + "/")
            ? repository.substring(registry.host().length() + 1)
            : repository;
    if (name.contains(":") || name.contains("@")) {
      name = parseRelative(name).repository();
    }
    return repository(name).listTags();
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
   * @throws dev.stevedore.content.InvalidDescriptorException if the manifest is not an image
   *     manifest
   */
  public static Optional<Descriptor> findLayer(RawManifest manifest, LayerQuery query)
      throws dev.stevedore.content.InvalidDescriptorException {
    if (manifest.kind() != Kind.SINGLE_IMAGE) {
      throw new dev.stevedore.content.InvalidDescriptorException(
          manifest.descriptor().digest()
              + ": "
              + manifest.descriptor().mediaType()
              + " has no layers; pick a platform's manifest first");
    }
    return Manifest.parse(manifest.content()).layers().stream().filter(query::matches).findFirst();
  }

  /**
   * Every layer of an image manifest that matches (Gardener's lookups return all matches).
   *
   * @param manifest a single-image manifest
   * @param query how to match
   * @return the layers, in order, possibly empty
   * @throws dev.stevedore.content.InvalidDescriptorException if the manifest is not an image
   *     manifest
   */
  public static List<Descriptor> findLayers(RawManifest manifest, LayerQuery query)
      throws dev.stevedore.content.InvalidDescriptorException {
    if (manifest.kind() != Kind.SINGLE_IMAGE) {
      throw new dev.stevedore.content.InvalidDescriptorException(
          manifest.descriptor().digest()
              + ": "
              + manifest.descriptor().mediaType()
              + " has no layers; pick a platform's manifest first");
    }
    return Manifest.parse(manifest.content()).layers().stream().filter(query::matches).toList();
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
  public static List<Descriptor> platforms(RawManifest index)
      throws dev.stevedore.content.InvalidDescriptorException {
    if (index.kind() != Kind.MULTI_ARCH_INDEX) {
      throw new dev.stevedore.content.InvalidDescriptorException(
          index.descriptor().digest() + " is not an index");
    }
    return Index.parse(index.content()).manifests();
  }

  /**
   * Converts a legacy Docker schema-1 manifest of a repository to schema 2 (layers read from the
   * repository to compute their diff ids), pushes the config and the new manifest, and tags it.
   *
   * @param repository the repository holding the layers
   * @param schema1 the schema-1 manifest bytes (e.g. {@link RawManifest#content()} of a legacy
   *     image)
   * @param tag the tag for the converted manifest, or null to push it by digest only
   * @return the conversion
   * @throws IOException if the manifest is malformed, a layer is missing or does not match, or a
   *     push fails
   */
  public Schema1.Converted convertSchema1(String repository, byte[] schema1, @Nullable String tag)
      throws IOException {
    Repository repo = repository(repository);
    Schema1.Converted converted =
        Schema1.convert(
            schema1,
            new Schema1.LayerSource() {
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
    BlobCache cache =
        BlobCache.open(
            java.nio.file.Path.of(
                args.length > 2
                    ? args[2]
                    : System.getProperty("java.io.tmpdir") + "/stevedore-blob-cache"));
    try (OciClient client = open(args[0], Examples.connectionFromEnvironment(), cache)) {
      RawManifest manifest = client.getManifest(args[1]);
      System.out.println(args[1] + " -> " + manifest.descriptor() + ": " + manifest.kind());
      switch (manifest.kind()) {
        case MULTI_ARCH_INDEX ->
            platforms(manifest)
                .forEach(m -> System.out.println("  " + m.platform() + " " + m.digest()));
        case SINGLE_IMAGE ->
            Manifest.parse(manifest.content()).layers().forEach(l -> System.out.println("  " + l));
        case DOCKER_SCHEMA1 -> System.out.println("  legacy schema 1: convert with convertSchema1");
      }
      System.out.println("tags: " + client.listTags(client.parseHere(args[1]).repository()));
    }
  }
}
