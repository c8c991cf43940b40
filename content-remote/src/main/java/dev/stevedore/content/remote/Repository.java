package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.ContentSupplier;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.Mounter;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.PageConsumer;
import dev.stevedore.content.Reference;
import dev.stevedore.content.ReferenceFetcher;
import dev.stevedore.content.ReferencePusher;
import dev.stevedore.content.ReferrerLister;
import dev.stevedore.content.StreamPusher;
import dev.stevedore.content.TagLister;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One repository of a registry, as a store: blobs and manifests, tags, referrers, mounts, speaking
 * the OCI distribution-spec v1.1 as oras-go's {@code remote.Repository} does.
 *
 * <p>Descriptors of a manifest media type (of the {@linkplain
 * RegistryOptions.AbstractBuilder#manifestMediaTypes Accept list}) go to the manifest endpoints,
 * everything else to the blob endpoints. Blobs stream both ways with back-pressure and are verified
 * (size and digest); manifests are read whole, up to the metadata limit. On registries without the
 * referrers API (detected once and remembered), pushing or deleting a manifest with a {@code
 * subject} maintains the referrers tag schema index.
 *
 * <p>Thread-safe: one repository serves any number of threads. Every method blocks the calling
 * thread, honours interruption (the request is cancelled), and throws {@link IllegalStateException}
 * on a Vert.x event-loop thread. Close it to release the connection pool (and the Vert.x instance,
 * when it created one); a repository obtained from a {@link Registry} shares the registry's
 * resources and its {@code close()} does nothing. Calls after the owner closed throw {@link
 * IllegalStateException}.
 */
public final class Repository
    implements GraphTarget,
        Deleter,
        TagLister,
        ReferrerLister,
        Mounter,
        ReferenceFetcher,
        ReferencePusher,
        StreamPusher,
        AutoCloseable {

  private final Registry owner;
  private final RegistryClient client;
  private final boolean ownsRegistry;
  private final String name;
  private final BlobStore blobs;
  private final ManifestStore manifests;
  private final Referrers referrers;

  Repository(Registry owner, String name, boolean ownsRegistry) {
    if (!Reference.isValidRepository(name)) {
      throw new IllegalArgumentException(invalidName(name));
    }
    this.owner = owner;
    this.client = owner.client();
    this.ownsRegistry = ownsRegistry;
    this.name = name;
    this.blobs = new BlobStore(client, name);
    this.manifests = new ManifestStore(client, name);
    this.referrers =
        new Referrers(client, manifests, name, client.options().referrersWarningHandler());
  }

  /**
   * A builder; give it {@link Builder#reference(String)} or {@link Builder#registry(String)} and
   * {@link Builder#name(String)}.
   *
   * @return a new builder with the defaults stated on its methods
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The repository's name within its registry.
   *
   * @return e.g. {@code library/alpine}
   */
  public String name() {
    return name;
  }

  /**
   * The registry host, with its port.
   *
   * @return e.g. {@code localhost:5000}
   */
  public String registry() {
    return client.host();
  }

  /**
   * The options this repository was built with (those of its registry).
   *
   * @return the options
   */
  public RegistryOptions options() {
    return client.options();
  }

  /**
   * The base URL of the registry.
   *
   * @return e.g. {@code http://localhost:5000}
   */
  public URI baseUrl() {
    return client.base();
  }

  private boolean isManifest(Descriptor desc) {
    return client.options().manifestMediaTypes().contains(desc.mediaType());
  }

  /**
   * Opens the content of a descriptor: a streamed, verified blob, or a verified manifest.
   *
   * @throws NotFoundException if the repository does not have it
   * @throws dev.stevedore.content.SizeLimitExceededException if a manifest exceeds the metadata
   *     limit
   * @throws IOException if the registry refuses or cannot be reached
   */
  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    if (isManifest(target)) {
      return new ByteArrayInputStream(manifests.fetchBytes(target));
    }
    return blobs.fetch(target);
  }

  /**
   * Tells whether the repository has the content ({@code HEAD}).
   *
   * @throws IOException if the registry refuses or cannot be reached
   */
  /**
   * The descriptor of a blob known only by its digest (a {@code HEAD} request): its size, with the
   * media type {@code application/octet-stream}, since a registry does not keep a blob's media
   * type.
   *
   * @param digest the blob's digest
   * @return its descriptor
   * @throws NotFoundException if the repository has no such blob
   * @throws IOException if the registry cannot be asked
   */
  public Descriptor resolveBlob(Digest digest) throws IOException {
    return blobs.resolve(digest);
  }

  @Override
  public boolean exists(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    return isManifest(target) ? manifests.exists(target) : blobs.exists(target);
  }

  /**
   * Pushes content: a blob is uploaded (streamed; chunked above the chunked-upload threshold), a
   * manifest is PUT by digest with its media type as Content-Type. Content that does not match
   * {@code expected} is never committed. Pushing content that exists succeeds.
   *
   * @throws dev.stevedore.content.DigestMismatchException if the content does not match
   * @throws RegistryResponseException if the registry refuses (see its {@code errorCodes()})
   * @throws IOException if the upload fails
   */
  @Override
  public void push(Descriptor expected, InputStream content) throws IOException {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(content, "content");
    if (isManifest(expected)) {
      pushManifest(expected, content, expected.digest().toString());
    } else {
      blobs.push(expected, content);
    }
  }

  /**
   * Pushes content of unknown size and digest (oras-java #508). A blob streams through a chunked
   * upload session ({@code PATCH}es of the upload chunk size, hashed as they are read) and the
   * final {@code PUT} carries the digest computed on the fly: no temporary file, two chunks in
   * memory. A manifest media type is read whole, up to the metadata limit, and pushed by digest.
   *
   * @throws dev.stevedore.content.SizeLimitExceededException if a manifest exceeds the metadata
   *     limit
   * @throws IOException if reading or the upload fails; the upload session is cancelled then
   */
  @Override
  public Descriptor pushStream(String mediaType, InputStream content) throws IOException {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(content, "content");
    if (!client.options().manifestMediaTypes().contains(mediaType)) {
      return blobs.pushStream(mediaType, content);
    }
    long limit = client.options().maxMetadataBytes();
    byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    if (bytes.length > limit) {
      throw new dev.stevedore.content.SizeLimitExceededException(
          "the streamed "
              + mediaType
              + " is larger than the metadata limit of "
              + limit
              + " bytes; raise maxMetadataBytes",
          limit);
    }
    Descriptor desc = Descriptor.of(mediaType, bytes);
    push(desc, new ByteArrayInputStream(bytes));
    return desc;
  }

  private void pushManifest(Descriptor expected, InputStream content, String reference)
      throws IOException {
    byte[] bytes = Contents.readAll(content, expected, client.options().maxMetadataBytes());
    if (manifests.push(expected, bytes, reference)) {
      referrers.markSupported();
    }
    if (referrers.state() != Referrers.State.SUPPORTED) {
      referrers.indexPushed(expected, bytes);
    }
  }

  /**
   * Resolves a tag or digest (or a full reference to this repository) with {@code HEAD}; when the
   * registry sends no digest, {@code GET}s the manifest and hashes it.
   *
   * @throws NotFoundException if nothing is known under the reference
   * @throws InvalidReferenceException if the reference is malformed or names another repository
   */
  @Override
  public Descriptor resolve(String reference) throws IOException {
    return manifests.resolve(parseReference(reference));
  }

  /**
   * Tags a manifest: fetches its bytes by digest and {@code PUT}s them under the tag.
   *
   * @throws NotFoundException if the manifest is not in the repository
   */
  @Override
  public void tag(Descriptor desc, String reference) throws IOException {
    Objects.requireNonNull(desc, "desc");
    String tag = parseReference(reference);
    byte[] bytes = manifests.fetchBytes(desc);
    manifests.push(desc, bytes, tag);
  }

  /**
   * Pushes a manifest under a tag in one {@code PUT}, maintaining the referrers index when needed.
   *
   * @throws dev.stevedore.content.DigestMismatchException if the content does not match
   */
  @Override
  public void pushReference(Descriptor expected, InputStream content, String reference)
      throws IOException {
    Objects.requireNonNull(expected, "expected");
    pushManifest(expected, content, parseReference(reference));
  }

  /**
   * Resolves and fetches a manifest in one {@code GET}; the descriptor comes from the response
   * headers and is checked against the bytes.
   *
   * @throws NotFoundException if nothing is there
   */
  @Override
  public FetchedReference fetchReference(String reference) throws IOException {
    return manifests.fetchReference(parseReference(reference));
  }

  /**
   * Deletes a blob or a manifest; deleting a manifest with a subject removes it from the referrers
   * index (and deletes the superseded index unless referrers GC is off).
   *
   * @throws NotFoundException if the repository does not have it
   * @throws RegistryResponseException if the registry refuses (e.g. 405: deletes disabled)
   */
  @Override
  public void delete(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    if (!isManifest(target)) {
      blobs.delete(target);
      return;
    }
    byte[] bytes = null;
    if (referrers.state() != Referrers.State.SUPPORTED && mayHaveSubject(target)) {
      bytes = manifests.fetchBytes(target);
    }
    manifests.delete(target);
    if (bytes != null) {
      referrers.indexDeleted(target, bytes);
    }
  }

  private static boolean mayHaveSubject(Descriptor desc) {
    return dev.stevedore.content.MediaTypes.OCI_MANIFEST.equals(desc.mediaType())
        || dev.stevedore.content.MediaTypes.OCI_INDEX.equals(desc.mediaType())
        || dev.stevedore.content.MediaTypes.OCI_ARTIFACT_MANIFEST.equals(desc.mediaType());
  }

  /**
   * Lists tags page by page ({@code GET /v2/<name>/tags/list?n=&last=}, following {@code Link}).
   * Tags at or before {@code last} are dropped and each page is sorted lexically even when the
   * registry ignores {@code last} and sends its tags unsorted, as distribution 2.8 does. A
   * repository that does not exist yet has no tags.
   *
   * @throws IOException if the listing fails or the consumer throws
   */
  @Override
  public void tags(@Nullable String last, PageConsumer<String> consumer) throws IOException {
    Objects.requireNonNull(consumer, "consumer");
    TagListing listing = new TagListing(client, name, last);
    for (List<String> page = listing.nextPage(); page != null; page = listing.nextPage()) {
      consumer.accept(page);
    }
  }

  /**
   * The tags after {@code last} as a lazy stream: each page is requested only when the stream
   * reaches it, so {@code limit(10)} costs one request on a registry that pages. Same rules as
   * {@link #tags(String, PageConsumer)}. Must be consumed on a thread that may block.
   *
   * @param last the tag to start after, or null for all
   * @return the tags; a failure while fetching a page surfaces as an {@link
   *     java.io.UncheckedIOException} wrapping the ContentException
   */
  public java.util.stream.Stream<String> tagStream(@Nullable String last) {
    return new TagListing(client, name, last).stream();
  }

  /**
   * Lists the referrers of a subject: the referrers API when the registry has it (with the
   * artifactType filter, and paging), else the referrers tag schema index.
   *
   * @throws IOException if the listing fails or the consumer throws
   */
  @Override
  public void referrers(
      Descriptor subject, @Nullable String artifactType, PageConsumer<Descriptor> consumer)
      throws IOException {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(consumer, "consumer");
    referrers.list(subject, artifactType, consumer);
  }

  /**
   * The referrers of {@code node}: a registry knows no other predecessors.
   *
   * @throws IOException if the listing fails
   */
  @Override
  public List<Descriptor> predecessors(Descriptor node) throws IOException {
    List<Descriptor> all = new ArrayList<>();
    referrers(node, null, all::addAll);
    return all;
  }

  /**
   * Mounts a blob from another repository of the same registry ({@code POST ?mount=&from=}). When
   * the registry declines (202), the blob is uploaded from {@code content} into the upload session
   * the registry opened.
   *
   * @throws ContentException if the mount is declined and {@code content} is null
   */
  @Override
  public void mount(Descriptor desc, String fromRepository, @Nullable ContentSupplier content)
      throws IOException {
    Objects.requireNonNull(desc, "desc");
    if (!Reference.isValidRepository(fromRepository)) {
      throw new InvalidReferenceException("invalid source repository \"" + fromRepository + "\"");
    }
    blobs.mount(desc, fromRepository, content);
  }

  /**
   * Whether the registry has the referrers API, as detected (asking it if not yet known).
   *
   * @return true when {@code GET /v2/<name>/referrers/<digest>} answers with an image index
   * @throws IOException if the registry cannot be asked
   */
  public boolean supportsReferrersApi() throws IOException {
    return referrers.ping();
  }

  /** Accepts a tag, a digest, or a full reference to this repository; returns the tag or digest. */
  private String parseReference(String reference) throws InvalidReferenceException {
    Objects.requireNonNull(reference, "reference");
    if (reference.contains("/")) {
      Reference parsed = Reference.parse(reference);
      if (!DockerHubNames.host(parsed.registry()).equals(registry())
          || !DockerHubNames.repository(parsed.registry(), parsed.repository()).equals(name)) {
        throw new InvalidReferenceException(
            "reference " + reference + " names another repository than " + registry() + "/" + name);
      }
      String ref = parsed.reference();
      if (ref == null) {
        throw new InvalidReferenceException(
            "reference " + reference + " has neither tag nor digest");
      }
      return ref;
    }
    Optional<Digest> digest = Digest.tryParse(reference);
    if (digest.isPresent()) {
      return digest.get().toString();
    }
    if (reference.contains(":") || reference.contains("@")) {
      throw new InvalidReferenceException(
          "invalid reference \"" + reference + "\": expected a tag or a digest");
    }
    if (!Reference.isValidTag(reference)) {
      throw new InvalidReferenceException(
          "invalid tag \"" + reference + "\": expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    }
    return reference;
  }

  /** Releases the connection pool and the Vert.x instance this repository created, if any. */
  @Override
  public void close() {
    if (ownsRegistry) {
      owner.close();
    }
  }

  @Override
  public String toString() {
    return "Repository[" + registry() + "/" + name + "]";
  }

  /**
   * Builds a {@link Repository}: where it is ({@link #reference(String)}, or {@link
   * #registry(String)} and {@link #name(String)}) and the options of {@link RegistryOptions} (set
   * one by one, or all at once with {@link #options(RegistryOptions)}). A shortcut for a {@link
   * Registry} of one repository: the repository owns that registry and closes it. Not thread-safe.
   */
  public static final class Builder extends RegistryOptions.AbstractBuilder<Builder> {
    private @Nullable String registry;
    private @Nullable String name;

    Builder() {}

    /**
     * Registry and repository from a reference, e.g. {@code localhost:5000/hello} (a tag or digest
     * in it is ignored). Docker Hub references talk to {@code registry-1.docker.io}, with {@code
     * library/} added to a single name: {@code docker.io/alpine} is {@code
     * registry-1.docker.io/library/alpine}, as docker and oras resolve it.
     *
     * @param reference the reference
     * @return this builder
     * @throws InvalidReferenceException if the reference is malformed
     */
    public Builder reference(String reference) throws InvalidReferenceException {
      Reference parsed = Reference.parse(Objects.requireNonNull(reference, "reference"));
      this.registry = parsed.registry();
      this.name = parsed.repository();
      return this;
    }

    /**
     * The registry host with an optional port, e.g. {@code localhost:5000}.
     *
     * @param host the host
     * @return this builder
     */
    public Builder registry(String host) {
      this.registry = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The repository name, e.g. {@code library/alpine}.
     *
     * @param repositoryName the name
     * @return this builder
     */
    public Builder name(String repositoryName) {
      this.name = Objects.requireNonNull(repositoryName, "repositoryName");
      return this;
    }

    /**
     * Builds the repository; it owns its registry's connection pool (and a Vert.x instance unless
     * one was given) and releases them on {@code close()}.
     *
     * @return the repository
     * @throws IllegalStateException if neither a reference nor registry and name were given
     * @throws IllegalArgumentException if the name is not a valid repository name
     */
    public Repository build() {
      if (registry == null || name == null) {
        throw new IllegalStateException(
            "a repository needs a registry and a name: call reference(...) or"
                + " registry(...) and name(...)");
      }
      if (!Reference.isValidRepository(name)) {
        throw new IllegalArgumentException(invalidName(name));
      }
      Registry owner =
          Registry.builder()
              .host(registry)
              .options(buildOptions())
              .transportLayers(transportLayers())
              .build();
      return new Repository(owner, DockerHubNames.repository(owner.host(), name), true);
    }
  }

  private static String invalidName(String name) {
    return "invalid repository name \""
        + name
        + "\": lower-case letters and digits separated by '.', '_', '__', '-' or '/'";
  }
}
