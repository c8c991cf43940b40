package dev.stevedore.copy;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platforms;
import dev.stevedore.content.Pusher;
import dev.stevedore.content.ReadOnlyGraphStorage;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.ReadOnlyStorage;
import dev.stevedore.content.ReadOnlyTarget;
import dev.stevedore.content.ReferenceFetcher;
import dev.stevedore.content.ReferencePusher;
import dev.stevedore.content.Storage;
import dev.stevedore.content.Successors;
import dev.stevedore.content.Target;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Copies artifacts between stores, and resolves, fetches, pushes and tags, as oras-go's top-level
 * functions. Every method is blocking and thread-safe; interrupting the calling thread stops an
 * operation promptly with an {@link InterruptedIOException} (the interrupt status is set again).
 * That is the only interrupt reported as itself: any other {@code InterruptedIOException} a store
 * throws during a copy (a socket timeout, for one) is a store failure, wrapped in a {@link
 * CopyException} like the others.
 *
 * <p>Store failures during a copy are reported as {@link CopyException}s that name the side, the
 * operation and the descriptor; use {@link dev.stevedore.content.ContentException#is} to ask for
 * the store's own exception (e.g. {@link dev.stevedore.content.NotFoundException}). The helpers
 * (resolve, fetch, push, tag) let the store's exceptions through unwrapped.
 */
public final class Copy {
  private Copy() {}

  /**
   * Copies the artifact a reference names: resolves {@code srcRef} in the source, maps the root if
   * asked (e.g. selects a platform), copies the graph under it, and then tags the root in the
   * destination as {@code dstRef}. The tag is set only after the whole graph is in.
   *
   * <p>A source that is a {@link ReferenceFetcher} resolves and fetches the root in one request; a
   * destination that is a {@link ReferencePusher} receives a manifest root under its tag in one
   * request (no separate tag). When the root is already at the destination it is tagged anyway.
   *
   * @param source where to copy from
   * @param srcRef the tag or digest of the artifact in the source
   * @param destination where to copy to
   * @param dstRef the tag in the destination; null or empty means {@code srcRef}
   * @param options the options
   * @return the descriptor of the root copied (after mapping)
   * @throws CopyException if a store fails
   * @throws InterruptedIOException if the calling thread is interrupted
   * @throws IOException what a hook threw
   */
  public static Descriptor copy(
      ReadOnlyTarget source,
      String srcRef,
      Target destination,
      @Nullable String dstRef,
      CopyOptions options)
      throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(srcRef, "srcRef");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(options, "options");
    String tag = dstRef == null || dstRef.isEmpty() ? srcRef : dstRef;
    CopyGraphOptions graphOptions = options.graphOptions();
    MetadataCache cache = new MetadataCache(source, graphOptions.maxMetadataBytes());

    Descriptor root = resolveRoot(source, srcRef, cache);
    RootMapper mapRoot = options.mapRoot();
    if (mapRoot != null) {
      Descriptor unmapped = root;
      root =
          Failures.store(
              CopyException.Side.SOURCE,
              CopyException.Operation.MAP_ROOT,
              unmapped,
              null,
              () -> mapRoot.map(cache, unmapped));
    }

    GraphCopier.RootReference rootReference =
        destination instanceof ReferencePusher pusher && MediaTypes.isManifest(root.mediaType())
            ? new GraphCopier.RootReference(root, tag, pusher)
            : null;
    GraphCopier copier = new GraphCopier(source, destination, graphOptions, cache, rootReference);
    copier.run(List.of(root));
    if (!copier.rootPushedByReference()) {
      tagRoot(destination, root, tag, cache, rootReference != null && copier.skipped(root));
    }
    return root;
  }

  /**
   * Copies the graph under {@code root} from one store to another, without tags: children before
   * parents, sub-graphs already at the destination skipped, shared nodes once, at most {@link
   * CopyGraphOptions#concurrency()} transfers at once. Manifests are read once (through a cache
   * bounded by {@link CopyGraphOptions#maxMetadataBytes()}); blobs are streamed, verified against
   * their descriptors on the way. Foreign and non-distributable layers ({@link
   * MediaTypes#isNonDistributable}) are not copied.
   *
   * <p>The first failure cancels the rest: queued work is dropped, transfers in flight are
   * interrupted and stop at their next read, and no parent of the failed node is pushed.
   *
   * <p>Self-heal: when the destination refuses a manifest because content it names is unknown (a
   * {@link dev.stevedore.content.NotFoundException} anywhere in the cause chain of the push
   * failure, which is how a registry's {@code MANIFEST_BLOB_UNKNOWN}, {@code BLOB_UNKNOWN} and
   * {@code MANIFEST_UNKNOWN} arrive), typically because an earlier copy was interrupted after the
   * destination recorded a child manifest but not its blobs, the manifest's child manifests are
   * copied again without the exists check that skipped them (their own content is checked as
   * usual), and the push is retried once.
   *
   * @param source where to copy from
   * @param destination where to copy to
   * @param root the root of the graph
   * @param options the options
   * @throws CopyException if a store fails
   * @throws InterruptedIOException if the calling thread is interrupted
   * @throws IOException what a hook threw
   */
  public static void copyGraph(
      ReadOnlyStorage source, Storage destination, Descriptor root, CopyGraphOptions options)
      throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(options, "options");
    MetadataCache cache = new MetadataCache(source, options.maxMetadataBytes());
    new GraphCopier(source, destination, options, cache, null).run(List.of(root));
  }

  /**
   * Copies a tagged node together with everything that refers to it (signatures, SBOMs,
   * attestations: its predecessors, transitively up to {@link ExtendedCopyOptions#depth()}), then
   * tags the node in the destination as {@code dstRef}.
   *
   * @param source where to copy from; it must know predecessors
   * @param srcRef the tag or digest of the node in the source
   * @param destination where to copy to
   * @param dstRef the tag in the destination; null or empty means {@code srcRef}
   * @param options the options
   * @return the descriptor of the node
   * @throws CopyException if a store fails
   * @throws InterruptedIOException if the calling thread is interrupted
   * @throws IOException what a hook threw
   */
  public static Descriptor extendedCopy(
      ReadOnlyGraphTarget source,
      String srcRef,
      Target destination,
      @Nullable String dstRef,
      ExtendedCopyOptions options)
      throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(srcRef, "srcRef");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(options, "options");
    String tag = dstRef == null || dstRef.isEmpty() ? srcRef : dstRef;
    Descriptor node =
        Failures.store(
            CopyException.Side.SOURCE,
            CopyException.Operation.RESOLVE,
            null,
            srcRef,
            () -> source.resolve(srcRef));
    extendedCopyGraph(source, destination, node, options);
    tag(destination, node, tag);
    return node;
  }

  /**
   * Copies the graph under a node and the graphs of everything that refers to it: finds the roots
   * by walking predecessors up (level by level, concurrently within a level, up to the depth), then
   * copies all their graphs in one run, sharing the concurrency limit, so a node reachable from
   * several roots is copied once.
   *
   * @param source where to copy from; it must know predecessors
   * @param destination where to copy to
   * @param node the node
   * @param options the options
   * @throws CopyException if a store fails
   * @throws InterruptedIOException if the calling thread is interrupted
   * @throws IOException what a hook threw
   */
  public static void extendedCopyGraph(
      ReadOnlyGraphStorage source,
      Storage destination,
      Descriptor node,
      ExtendedCopyOptions options)
      throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(options, "options");
    CopyGraphOptions graphOptions = options.graphOptions();
    PredecessorLookup lookup = options.findPredecessors();
    if (lookup == null) {
      lookup = ReadOnlyGraphStorage::predecessors;
    }
    List<Descriptor> roots;
    try (Workers workers = Workers.of(graphOptions.executor(), graphOptions.concurrency())) {
      roots =
          RootFinder.find(
              source,
              node,
              options.depth(),
              lookup,
              workers.executor(),
              graphOptions.concurrency());
    }
    MetadataCache cache = new MetadataCache(source, graphOptions.maxMetadataBytes());
    new GraphCopier(source, destination, graphOptions, cache, null).run(roots);
  }

  /**
   * Resolves a reference, optionally selecting a platform (see {@link
   * CopyOptions#withTargetPlatform}).
   *
   * @param target the store
   * @param reference a tag or digest
   * @param options the options
   * @return the descriptor (of the selected manifest, with a target platform)
   * @throws dev.stevedore.content.NotFoundException if nothing is there, or no manifest matches the
   *     platform
   * @throws IOException if the store fails
   */
  public static Descriptor resolve(ReadOnlyTarget target, String reference, ResolveOptions options)
      throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(reference, "reference");
    Descriptor root = target.resolve(reference);
    if (options.targetPlatform() == null) {
      return root;
    }
    return Platforms.select(target, root, options.targetPlatform(), options.maxMetadataBytes());
  }

  /**
   * Resolves a reference and opens its content. A {@link ReferenceFetcher} does both in one request
   * when no platform is to be selected.
   *
   * @param target the store
   * @param reference a tag or digest
   * @param options the options
   * @return the descriptor and the verified content; the caller closes it
   * @throws dev.stevedore.content.NotFoundException if nothing is there
   * @throws IOException if the store fails
   */
  public static FetchedReference fetch(
      ReadOnlyTarget target, String reference, ResolveOptions options) throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(reference, "reference");
    if (options.targetPlatform() == null && target instanceof ReferenceFetcher fetcher) {
      return fetcher.fetchReference(reference);
    }
    Descriptor desc = resolve(target, reference, options);
    return new FetchedReference(desc, target.fetch(desc));
  }

  /**
   * Resolves a reference and reads its content whole, up to a limit.
   *
   * @param target the store
   * @param reference a tag or digest
   * @param options the options
   * @return the descriptor and the verified bytes
   * @throws dev.stevedore.content.SizeLimitExceededException if the content is larger than {@link
   *     FetchBytesOptions#maxBytes()} (nothing is read then)
   * @throws IOException if the store fails
   */
  public static FetchedBytes fetchBytes(
      ReadOnlyTarget target, String reference, FetchBytesOptions options) throws IOException {
    try (FetchedReference fetched = fetch(target, reference, options.resolveOptions())) {
      Descriptor desc = fetched.descriptor();
      return new FetchedBytes(desc, Contents.readAll(fetched.content(), desc, options.maxBytes()));
    }
  }

  /**
   * Pushes bytes as content of a media type.
   *
   * @param pusher the store
   * @param mediaType the media type; null or empty means {@code application/octet-stream}
   * @param content the bytes
   * @return their descriptor
   * @throws dev.stevedore.content.AlreadyExistsException if the store already has them
   * @throws IOException if the push fails
   */
  public static Descriptor pushBytes(Pusher pusher, @Nullable String mediaType, byte[] content)
      throws IOException {
    Objects.requireNonNull(pusher, "pusher");
    Descriptor desc = Descriptor.of(mediaTypeOrDefault(mediaType), content);
    pusher.push(desc, new ByteArrayInputStream(content));
    return desc;
  }

  /**
   * Tags what {@code srcRef} names as {@code dstRef}. A store that is both a {@link
   * ReferenceFetcher} and a {@link ReferencePusher} does it as one fetch and one push.
   *
   * @param target the store
   * @param srcRef the existing tag or digest
   * @param dstRef the new tag
   * @return the descriptor tagged
   * @throws IOException if the store fails
   */
  public static Descriptor tag(Target target, String srcRef, String dstRef) throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(srcRef, "srcRef");
    Objects.requireNonNull(dstRef, "dstRef");
    if (target instanceof ReferenceFetcher fetcher && target instanceof ReferencePusher pusher) {
      try (FetchedReference fetched = fetcher.fetchReference(srcRef)) {
        pusher.pushReference(fetched.descriptor(), fetched.content(), dstRef);
        return fetched.descriptor();
      }
    }
    Descriptor desc = target.resolve(srcRef);
    target.tag(desc, dstRef);
    return desc;
  }

  /**
   * Tags what {@code srcRef} names with several tags, concurrently.
   *
   * @param target the store
   * @param srcRef the existing tag or digest
   * @param dstRefs the new tags, at least one
   * @param options the options
   * @return the descriptor tagged
   * @throws IllegalArgumentException if {@code dstRefs} is empty
   * @throws IOException if the store fails (the first failure; the others are cancelled)
   */
  public static Descriptor tagN(
      Target target, String srcRef, List<String> dstRefs, TagOptions options) throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(srcRef, "srcRef");
    List<String> refs = distinct(dstRefs);
    if (refs.size() == 1) {
      return tag(target, srcRef, refs.get(0));
    }
    if (target instanceof ReferenceFetcher fetcher && target instanceof ReferencePusher pusher) {
      Descriptor desc;
      byte[] content;
      try (FetchedReference fetched = fetcher.fetchReference(srcRef)) {
        desc = fetched.descriptor();
        content = Contents.readAll(fetched.content(), desc, options.maxMetadataBytes());
      }
      runAll(
          options, refs, ref -> pusher.pushReference(desc, new ByteArrayInputStream(content), ref));
      return desc;
    }
    Descriptor desc = target.resolve(srcRef);
    runAll(options, refs, ref -> target.tag(desc, ref));
    return desc;
  }

  /**
   * Pushes bytes (content already there is fine) and tags them.
   *
   * @param target the store
   * @param mediaType the media type; null or empty means {@code application/octet-stream}
   * @param content the bytes
   * @param reference the tag
   * @return the descriptor
   * @throws IOException if the store fails
   */
  public static Descriptor tagBytes(
      Target target, @Nullable String mediaType, byte[] content, String reference)
      throws IOException {
    return tagBytesN(target, mediaType, content, List.of(reference), TagOptions.defaults());
  }

  /**
   * Pushes bytes (content already there is fine) and tags them with several tags, concurrently. A
   * {@link ReferencePusher} receives one push per tag instead of a push and tags.
   *
   * @param target the store
   * @param mediaType the media type; null or empty means {@code application/octet-stream}
   * @param content the bytes
   * @param references the tags; when empty the bytes are only pushed
   * @param options the options
   * @return the descriptor
   * @throws IOException if the store fails (the first failure; the others are cancelled)
   */
  public static Descriptor tagBytesN(
      Target target,
      @Nullable String mediaType,
      byte[] content,
      List<String> references,
      TagOptions options)
      throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(content, "content");
    Descriptor desc = Descriptor.of(mediaTypeOrDefault(mediaType), content);
    List<String> refs = references.isEmpty() ? List.of() : distinct(references);
    if (!refs.isEmpty() && target instanceof ReferencePusher pusher) {
      runAll(
          options, refs, ref -> pusher.pushReference(desc, new ByteArrayInputStream(content), ref));
      return desc;
    }
    try {
      target.push(desc, new ByteArrayInputStream(content));
    } catch (AlreadyExistsException e) {
      // content already there; tagging is what was asked
    }
    runAll(options, refs, ref -> target.tag(desc, ref));
    return desc;
  }

  private static Descriptor resolveRoot(ReadOnlyTarget source, String srcRef, MetadataCache cache)
      throws IOException {
    if (!(source instanceof ReferenceFetcher fetcher)) {
      return Failures.store(
          CopyException.Side.SOURCE,
          CopyException.Operation.RESOLVE,
          null,
          srcRef,
          () -> source.resolve(srcRef));
    }
    FetchedReference fetched =
        Failures.store(
            CopyException.Side.SOURCE,
            CopyException.Operation.RESOLVE,
            null,
            srcRef,
            () -> fetcher.fetchReference(srcRef));
    Descriptor root = fetched.descriptor();
    Failures.run(
        CopyException.Side.SOURCE,
        CopyException.Operation.FETCH,
        root,
        null,
        () -> {
          try (InputStream in = fetched.content()) {
            if (Successors.mayHaveSuccessors(root.mediaType())) {
              cache.put(root, Contents.readAll(in, root, cache.limit()));
            }
          }
        });
    return root;
  }

  private static void tagRoot(
      Target destination, Descriptor root, String tag, MetadataCache cache, boolean pushByReference)
      throws IOException {
    byte[] content = pushByReference ? cache.cached(root) : null;
    if (content != null && destination instanceof ReferencePusher pusher) {
      boolean pushed =
          Failures.store(
              CopyException.Side.DESTINATION,
              CopyException.Operation.PUSH,
              root,
              null,
              () -> {
                try {
                  pusher.pushReference(root, new ByteArrayInputStream(content), tag);
                  return true;
                } catch (AlreadyExistsException e) {
                  return false; // the store will not push it again; tag it instead
                }
              });
      if (pushed) {
        return;
      }
    }
    tag(destination, root, tag);
  }

  private static void tag(Target destination, Descriptor root, String tag) throws IOException {
    Failures.run(
        CopyException.Side.DESTINATION,
        CopyException.Operation.TAG,
        root,
        null,
        () -> destination.tag(root, tag));
  }

  private static String mediaTypeOrDefault(@Nullable String mediaType) {
    return mediaType == null || mediaType.isEmpty() ? MediaTypes.OCTET_STREAM : mediaType;
  }

  private static List<String> distinct(List<String> refs) {
    Objects.requireNonNull(refs, "references");
    if (refs.isEmpty()) {
      throw new IllegalArgumentException("no reference given: name at least one tag");
    }
    refs.forEach(r -> Objects.requireNonNull(r, "reference"));
    return List.copyOf(new LinkedHashSet<>(refs));
  }

  @FunctionalInterface
  private interface RefAction {
    void apply(String reference) throws IOException;
  }

  private static void runAll(TagOptions options, List<String> refs, RefAction action)
      throws IOException {
    if (refs.isEmpty()) {
      return;
    }
    List<LimitedScheduler.Task> tasks = new ArrayList<>(refs.size());
    for (String ref : refs) {
      tasks.add(() -> action.apply(ref));
    }
    Throwable failure;
    try (Workers workers = Workers.of(options.executor(), options.concurrency())) {
      failure = LimitedScheduler.runAll(workers.executor(), options.concurrency(), tasks);
    } catch (InterruptedException e) {
      throw Failures.interrupted(
          "tagging " + refs + " interrupted; some of the tags may be set", e);
    }
    Failures.rethrow(failure);
  }
}
