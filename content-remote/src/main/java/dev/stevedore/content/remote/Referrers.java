package dev.stevedore.content.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.Index;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.PageConsumer;
import dev.stevedore.content.Successors;
import dev.stevedore.content.internal.Json;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Referrers of one repository: the referrers API ({@code GET /v2/<name>/referrers/<digest>}) when
 * the registry has it, detected once and remembered; otherwise the referrers tag schema, an index
 * tagged {@code <alg>-<hex>} of the subject that this client maintains on push and delete, as
 * oras-go does.
 */
final class Referrers {
  private static final System.Logger LOG = System.getLogger(Referrers.class.getName());
  static final String FILTERS_APPLIED_ANNOTATION = "org.opencontainers.referrers.filtersApplied";
  private static final Digest ZERO = new Digest(Digest.SHA256, "0".repeat(64));

  /** What is known of the registry's referrers API. */
  enum State {
    UNKNOWN,
    SUPPORTED,
    UNSUPPORTED
  }

  private final RegistryClient client;
  private final ManifestStore manifests;
  private final String name;
  private final AtomicReference<State> state = new AtomicReference<>(State.UNKNOWN);
  private final ReentrantLock pingLock = new ReentrantLock();

  /**
   * One lock per subject, so concurrent pushes of referrers of one subject do not lose index
   * entries.
   */
  private final LoadingCache<Digest, ReentrantLock> subjectLocks =
      Caffeine.newBuilder().weakValues().build(key -> new ReentrantLock());

  /** Where best-effort failures go when the caller set no handler: the log, at WARNING. */
  static final Consumer<ReferrersWarning> LOG_WARNINGS = w -> LOG.log(Level.WARNING, w.message());

  private final Consumer<ReferrersWarning> warnings;

  Referrers(
      RegistryClient client,
      ManifestStore manifests,
      String name,
      Consumer<ReferrersWarning> warnings) {
    this.client = client;
    this.manifests = manifests;
    this.name = name;
    this.warnings = warnings;
  }

  State state() {
    return Objects.requireNonNull(state.get(), "the state is never null");
  }

  void markSupported() {
    state.set(State.SUPPORTED);
  }

  static String referrersTag(Digest subject) {
    return subject.algorithm() + "-" + subject.encoded();
  }

  /** Signals internally that the registry has no referrers API. */
  private static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message, null, false, false);
    }
  }

  void list(Descriptor subject, @Nullable String artifactType, PageConsumer<Descriptor> consumer)
      throws IOException {
    State known = state.get();
    if (known == State.UNSUPPORTED) {
      byTagSchema(subject, artifactType, consumer);
      return;
    }
    try {
      byApi(subject, artifactType, consumer);
      state.compareAndSet(State.UNKNOWN, State.SUPPORTED);
    } catch (Unsupported e) {
      if (known == State.SUPPORTED) {
        throw new ContentException(
            "referrers of " + subject.digest() + " in " + name + ": " + e.getMessage());
      }
      LOG.log(
          Level.DEBUG,
          () ->
              name + ": no referrers API (" + e.getMessage() + "); using the referrers tag schema");
      state.set(State.UNSUPPORTED);
      byTagSchema(subject, artifactType, consumer);
    }
  }

  private void byApi(
      Descriptor subject, @Nullable String artifactType, PageConsumer<Descriptor> consumer)
      throws IOException, Unsupported {
    URI uri = client.uri("/v2/" + name + "/referrers/" + subject.digest());
    if (artifactType != null) {
      uri = Paging.withQuery(uri, "artifactType", artifactType);
    }
    int pageSize = client.options().referrerListPageSize();
    if (pageSize > 0) {
      uri = Paging.withQuery(uri, "n", Integer.toString(pageSize));
    }
    int maxPages = client.options().referrerListMaxPages();
    int pages = 0;
    for (URI next = uri; next != null; ) {
      if (maxPages > 0 && pages >= maxPages) {
        throw new PageLimitExceededException(
            "listing referrers of "
                + subject.digest()
                + " in "
                + client.host()
                + "/"
                + name
                + ": the registry has more than "
                + maxPages
                + " pages of referrers, the limit"
                + " (referrerListMaxPages); raise it, or filter by artifact type",
            maxPages);
      }
      pages++;
      Paging.Page page;
      try {
        page =
            Paging.get(
                client,
                next,
                Map.of("Accept", MediaTypes.OCI_INDEX),
                "listing referrers of " + subject.digest() + " in " + name);
      } catch (RegistryResponseException e) {
        if (e.statusCode() != 404) {
          throw e;
        }
        if (e.hasErrorCode("NAME_UNKNOWN")) {
          throw new NotFoundException(
              "repository " + client.host() + "/" + name + ": not found", e);
        }
        throw new Unsupported("referrers endpoint answered 404");
      }
      if (!MediaTypes.OCI_INDEX.equals(Headers.mediaType(page.response()))) {
        throw new Unsupported(
            "referrers endpoint answered "
                + Headers.mediaType(page.response())
                + " instead of an image index");
      }
      Index index = parseIndex(page.body(), page.response().request().toString());
      List<Descriptor> referrers = index.manifests();
      if (artifactType != null
          && !filterApplied(page.response().header(Headers.OCI_FILTERS_APPLIED))
          && !filterApplied(index.annotations().get(FILTERS_APPLIED_ANNOTATION))) {
        referrers = filter(referrers, artifactType);
      }
      if (!referrers.isEmpty()) {
        consumer.accept(referrers);
      }
      next = page.next();
    }
  }

  private static boolean filterApplied(@Nullable String applied) {
    return applied != null
        && Arrays.stream(applied.split(",")).map(String::trim).anyMatch("artifactType"::equals);
  }

  private static List<Descriptor> filter(
      List<Descriptor> referrers, @Nullable String artifactType) {
    if (artifactType == null) {
      return referrers;
    }
    return referrers.stream().filter(d -> artifactType.equals(d.artifactType())).toList();
  }

  private static Index parseIndex(byte[] body, String what) throws ContentException {
    try {
      return Index.parse(body);
    } catch (InvalidDescriptorException e) {
      throw new ContentException(
          what + ": the referrers list is not a valid image index: " + e.getMessage(), e);
    }
  }

  private void byTagSchema(
      Descriptor subject, @Nullable String artifactType, PageConsumer<Descriptor> consumer)
      throws IOException {
    List<Descriptor> referrers = filter(fromIndex(subject.digest()).referrers(), artifactType);
    if (!referrers.isEmpty()) {
      consumer.accept(referrers);
    }
  }

  private record Tagged(@Nullable Descriptor index, List<Descriptor> referrers) {}

  private static final Tagged NONE = new Tagged(null, List.of());

  /**
   * The referrers index under the subject's tag. What the tag holds is checked before it is read as
   * referrers: an OCI image index whose entries are all manifests. Anything else (an image someone
   * tagged that way, an unrelated artifact) is ignored with a warning (oras-go #1396), and is never
   * deleted as a superseded index.
   */
  private Tagged fromIndex(Digest subject) throws IOException {
    String tag = referrersTag(subject);
    try (FetchedReference fetched = manifests.fetchReference(tag)) {
      Descriptor found = fetched.descriptor();
      if (!MediaTypes.OCI_INDEX.equals(found.mediaType())) {
        return ignored(
            subject,
            tag,
            "holds a " + found.mediaType() + " (" + found.digest() + "), not an OCI image index");
      }
      Index index;
      try {
        index = Index.parse(fetched.content().readAllBytes());
      } catch (InvalidDescriptorException e) {
        return ignored(
            subject, tag, "holds an image index that cannot be read (" + e.getMessage() + ")");
      }
      for (Descriptor entry : index.manifests()) {
        if (!Successors.mayHaveSuccessors(entry.mediaType())) {
          return ignored(
              subject,
              tag,
              "holds an image index listing "
                  + entry.mediaType()
                  + " "
                  + entry.digest()
                  + ", which is not a manifest");
        }
      }
      return new Tagged(found, index.manifests());
    } catch (NotFoundException e) {
      return NONE;
    }
  }

  private Tagged ignored(Digest subject, String tag, String what) {
    warnings.accept(
        new ReferrersWarning(
            ReferrersWarning.Kind.NOT_A_REFERRERS_INDEX,
            repository(),
            subject,
            "tag "
                + tag
                + " of "
                + repository()
                + " "
                + what
                + "; it was ignored, not read as referrers of "
                + subject
                + " (a push of a referrer of "
                + subject
                + " replaces the tag with a referrers index)",
            null));
    return NONE;
  }

  private String repository() {
    return client.host() + "/" + name;
  }

  /** Tells whether the registry has the referrers API, asking it once per repository. */
  boolean ping() throws IOException {
    State known = state.get();
    if (known != State.UNKNOWN) {
      return known == State.SUPPORTED;
    }
    pingLock.lock();
    try {
      known = state.get();
      if (known != State.UNKNOWN) {
        return known == State.SUPPORTED;
      }
      URI uri = client.uri("/v2/" + name + "/referrers/" + ZERO);
      try {
        Paging.Page page =
            Paging.get(
                client, uri, Map.of("Accept", MediaTypes.OCI_INDEX), "probing the referrers API");
        boolean supported = MediaTypes.OCI_INDEX.equals(Headers.mediaType(page.response()));
        state.set(supported ? State.SUPPORTED : State.UNSUPPORTED);
        return supported;
      } catch (RegistryResponseException e) {
        if (e.statusCode() != 404 || e.hasErrorCode("NAME_UNKNOWN")) {
          throw e;
        }
        state.set(State.UNSUPPORTED);
        return false;
      }
    } finally {
      pingLock.unlock();
    }
  }

  /**
   * After a manifest push: add it to its subject's referrers index when the registry has no API.
   */
  void indexPushed(Descriptor desc, byte[] manifest) throws IOException {
    Referrer referrer = referrer(desc, manifest);
    if (referrer == null || ping()) {
      return;
    }
    update(referrer.subject(), referrer.descriptor(), true);
  }

  /** After a manifest delete: remove it from its subject's referrers index. */
  void indexDeleted(Descriptor desc, byte[] manifest) throws IOException {
    Referrer referrer = referrer(desc, manifest);
    if (referrer == null || ping()) {
      return;
    }
    update(referrer.subject(), referrer.descriptor(), false);
  }

  private record Referrer(Digest subject, Descriptor descriptor) {}

  /**
   * The subject and the referrer descriptor (artifact type and annotations of the manifest), or
   * null.
   */
  static @Nullable Referrer referrer(Descriptor desc, byte[] manifest) throws ContentException {
    if (!MediaTypes.OCI_MANIFEST.equals(desc.mediaType())
        && !MediaTypes.OCI_INDEX.equals(desc.mediaType())
        && !MediaTypes.OCI_ARTIFACT_MANIFEST.equals(desc.mediaType())) {
      return null;
    }
    JsonNode root = Json.tree(manifest, desc.mediaType() + " " + desc.digest());
    JsonNode subject = root.get("subject");
    if (subject == null || subject.isNull()) {
      return null;
    }
    Digest subjectDigest = Digest.parse(subject.path("digest").asText(""));
    String artifactType = root.path("artifactType").asText("");
    if (artifactType.isEmpty() && MediaTypes.OCI_MANIFEST.equals(desc.mediaType())) {
      artifactType = root.path("config").path("mediaType").asText("");
    }
    Map<String, String> annotations = new TreeMap<>();
    root.path("annotations")
        .properties()
        .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    Descriptor referrer =
        Descriptor.of(desc.mediaType(), desc.digest(), desc.size())
            .withAnnotations(annotations)
            .withArtifactType(artifactType.isEmpty() ? null : artifactType);
    return new Referrer(subjectDigest, referrer);
  }

  private void update(Digest subject, Descriptor referrer, boolean add) throws IOException {
    ReentrantLock lock = subjectLocks.get(subject);
    lock.lock();
    try {
      Tagged old = fromIndex(subject);
      List<Descriptor> updated = new ArrayList<>();
      boolean present = false;
      for (Descriptor d : old.referrers()) {
        if (d.digest().equals(referrer.digest())) {
          present = true;
          if (!add) {
            continue;
          }
        }
        updated.add(d);
      }
      if (add == present) {
        return;
      }
      if (add) {
        updated.add(referrer);
      }
      String tag = referrersTag(subject);
      if (!updated.isEmpty()) {
        byte[] json = Index.of(updated).toJson();
        manifests.push(Descriptor.of(MediaTypes.OCI_INDEX, json), json, tag);
      }
      if (old.index() != null && client.options().referrersGc()) {
        try {
          manifests.delete(old.index());
        } catch (NotFoundException e) {
          // someone else removed it
        } catch (java.io.InterruptedIOException e) {
          throw e;
        } catch (IOException e) {
          if (Thread.currentThread().isInterrupted()) {
            throw e;
          }
          // Best effort, as oras-go: the referrer and the new index are in place.
          warnings.accept(
              new ReferrersWarning(
                  ReferrersWarning.Kind.INDEX_NOT_DELETED,
                  repository(),
                  subject,
                  "could not delete the superseded referrers index "
                      + old.index().digest()
                      + " of "
                      + subject
                      + " in "
                      + repository()
                      + " ("
                      + e.getMessage()
                      + "); "
                      + (updated.isEmpty()
                          ? "tag " + tag + " still lists the removed referrer"
                          : "the new index is in place under tag "
                              + tag
                              + " and the old one stays, untagged")
                      + ". A registry that refuses deletes leaves the old index to its"
                      + " garbage collection",
                  e));
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
