package dev.stevedore.copy;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.ContentKey;
import dev.stevedore.content.ContentSupplier;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Mounter;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.ReadOnlyStorage;
import dev.stevedore.content.ReferencePusher;
import dev.stevedore.content.Storage;
import dev.stevedore.content.Successors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Copies the graphs under one or more roots: the engine behind every copy. One instance per copy.
 *
 * <p>Each node goes through two steps, each a task on the {@link LimitedScheduler} (so at most
 * {@code concurrency} run at once): <em>examine</em> (ask the destination whether the node exists;
 * if so, skip it with its sub-graph; otherwise find its successors through the metadata cache and
 * visit them) and <em>copy</em> (push the node; for a leaf this happens in the examine task). A
 * node with successors is copied by a task submitted when the last of its successors is done, so no
 * task ever waits for another, and children are always at the destination before their parent.
 *
 * <p>Order: the queue is worked from the front and new work is put there, so the walk is depth
 * first (few manifests wait in the bounded cache between examination and push); among a node's
 * children, manifests start first, then blobs largest first.
 *
 * <p>Exactly once: nodes are kept in a concurrent map by content key; only the thread that inserts
 * a node schedules its examination, every other parent just registers to be told when it is done.
 *
 * <p>Self-heal: when the destination refuses a manifest because a child is unknown (a {@link
 * NotFoundException} anywhere in the push failure's cause chain, which is how the remote store
 * reports {@code MANIFEST_BLOB_UNKNOWN}, {@code BLOB_UNKNOWN} and {@code MANIFEST_UNKNOWN}), the
 * node's child manifests are copied again without the exists check that skipped them (their own
 * children are checked as usual), and the push is retried once.
 */
final class GraphCopier {
  private static final System.Logger LOG = System.getLogger(GraphCopier.class.getName());

  /** The order in which a node's children should start: manifests, then blobs largest first. */
  private static final Comparator<Descriptor> START_ORDER =
      Comparator.comparing((Descriptor d) -> !Successors.mayHaveSuccessors(d.mediaType()))
          .thenComparing(Comparator.comparingLong(Descriptor::size).reversed());

  /**
   * The root of a {@link Copy#copy}, pushed under its tag in one request when the destination can.
   */
  record RootReference(Descriptor root, String reference, ReferencePusher pusher) {}

  private final ReadOnlyStorage source;
  private final Storage destination;
  private final CopyGraphOptions options;
  private final MetadataCache cache;
  private final CopyListener listener;
  private final @Nullable RootReference rootReference;
  private final Map<ContentKey, Node> nodes = new ConcurrentHashMap<>();
  private final Map<ContentKey, Node> healed = new ConcurrentHashMap<>();
  private final Set<ContentKey> skippedNodes = ConcurrentHashMap.newKeySet();
  private volatile boolean rootPushedByReference;
  private @Nullable LimitedScheduler scheduler;

  GraphCopier(
      ReadOnlyStorage source,
      Storage destination,
      CopyGraphOptions options,
      MetadataCache cache,
      @Nullable RootReference rootReference) {
    this.source = source;
    this.destination = destination;
    this.options = options;
    this.cache = cache;
    this.listener = options.listener();
    this.rootReference = rootReference;
  }

  /**
   * Copies the graphs under {@code roots}; returns when all are at the destination.
   *
   * @throws CopyException when a store fails
   * @throws InterruptedIOException when the calling thread is interrupted (its status is set again)
   * @throws IOException what a hook threw
   */
  void run(List<Descriptor> roots) throws IOException {
    if (roots.isEmpty()) {
      return;
    }
    try (Workers workers = Workers.of(options.executor(), options.concurrency())) {
      LimitedScheduler s = new LimitedScheduler(workers.executor(), options.concurrency());
      scheduler = s;
      Map<ContentKey, Descriptor> distinct = new LinkedHashMap<>();
      roots.forEach(r -> distinct.putIfAbsent(r.key(), r));
      AtomicInteger pendingRoots = new AtomicInteger(distinct.size());
      Runnable rootDone =
          () -> {
            if (pendingRoots.decrementAndGet() == 0) {
              s.complete();
            }
          };
      for (Descriptor root : distinct.values()) {
        Node node = visit(root);
        if (node.onDone(rootDone)) {
          rootDone.run();
        }
      }
      Throwable failure;
      try {
        failure = s.await();
      } catch (InterruptedException e) {
        s.cancelAndDrain();
        throw Failures.interrupted(
            "copy of "
                + roots.get(0).digest()
                + " interrupted; the destination may hold part of the graph, and copying again resumes it",
            e);
      }
      Failures.rethrow(failure);
    }
  }

  /** Tells whether a root was already at the destination (and so was neither pushed nor tagged). */
  boolean skipped(Descriptor root) {
    return skippedNodes.contains(root.key());
  }

  /** Tells whether the root was pushed under its reference in one request. */
  boolean rootPushedByReference() {
    return rootPushedByReference;
  }

  private LimitedScheduler scheduler() {
    LimitedScheduler s = scheduler;
    if (s == null) {
      throw new IllegalStateException("not running");
    }
    return s;
  }

  private Node visit(Descriptor desc) {
    Node node = nodes.get(desc.key());
    if (node != null) {
      return node;
    }
    Node created = new Node(desc, false);
    node = nodes.putIfAbsent(desc.key(), created);
    if (node != null) {
      return node;
    }
    // Depth first: a node's children are examined before its siblings, so few manifests wait in
    // the bounded cache between being examined and being pushed, and sub-graphs complete early.
    scheduler().submitFirst(() -> examine(created));
    return created;
  }

  private void examine(Node node) throws IOException {
    Descriptor desc = node.desc;
    if (!node.forced && !pushBlind(desc) && exists(desc)) {
      skippedNodes.add(desc.key());
      listener.nodeSkipped(desc);
      NodeHandler onSkipped = options.onCopySkipped();
      if (onSkipped != null) {
        onSkipped.handle(desc);
      }
      node.markDone();
      return;
    }
    List<Descriptor> successors = successors(desc);
    node.successors = successors;
    if (successors.isEmpty()) {
      copy(node);
      return;
    }
    node.pending.set(successors.size());
    Runnable childDone =
        () -> {
          if (node.pending.decrementAndGet() == 0) {
            scheduler().submitFirst(() -> copy(node));
          }
        };
    // Tasks are taken from the front of the queue, so visiting in reverse of the wanted order puts
    // child manifests first (they reveal more work), then blobs largest first (a big blob started
    // last would stretch the copy's tail).
    List<Descriptor> order = new ArrayList<>(successors);
    order.sort(START_ORDER.reversed());
    for (Descriptor successor : order) {
      if (visit(successor).onDone(childDone)) {
        childDone.run();
      }
    }
  }

  /** A small blob is pushed without asking first (see {@link CopyGraphOptions#blindPushBelow}). */
  private boolean pushBlind(Descriptor desc) {
    return desc.size() < options.blindPushBelow()
        && !Successors.mayHaveSuccessors(desc.mediaType());
  }

  private boolean exists(Descriptor desc) throws IOException {
    return Failures.store(
        CopyException.Side.DESTINATION,
        CopyException.Operation.EXISTS,
        desc,
        null,
        () -> destination.exists(desc));
  }

  private List<Descriptor> successors(Descriptor desc) throws IOException {
    List<Descriptor> found;
    SuccessorLookup lookup = options.findSuccessors();
    if (lookup != null) {
      found = lookup.find(cache, desc);
    } else if (!Successors.mayHaveSuccessors(desc.mediaType())) {
      return List.of();
    } else {
      byte[] content = cache.bytes(desc);
      found =
          Failures.store(
              CopyException.Side.SOURCE,
              CopyException.Operation.FETCH,
              desc,
              null,
              () -> Successors.parse(desc, content));
    }
    Map<ContentKey, Descriptor> distinct = new LinkedHashMap<>();
    for (Descriptor successor : found) {
      // Foreign and non-distributable layers stay where they are, as in oras-go.
      if (!MediaTypes.isNonDistributable(successor.mediaType())) {
        distinct.putIfAbsent(successor.key(), successor);
      }
    }
    return List.copyOf(distinct.values());
  }

  private void copy(Node node) throws IOException {
    Descriptor desc = node.desc;
    if (mount(node)) {
      return;
    }
    PreCopyHandler preCopy = options.preCopy();
    if (preCopy != null && preCopy.beforeCopy(desc) == PreCopyDecision.SKIP) {
      listener.nodeDone(desc);
      node.markDone();
      return;
    }
    listener.nodeStarted(desc);
    transferAndFinish(node);
  }

  private void transferAndFinish(Node node) throws IOException {
    Descriptor desc = node.desc;
    if (scheduler().cancelled()) {
      return;
    }
    if (!transfer(node)) {
      return; // healing; this step runs again when the children are healed
    }
    NodeHandler postCopy = options.postCopy();
    if (postCopy != null) {
      postCopy.handle(desc);
    }
    listener.nodeDone(desc);
    node.markDone();
  }

  /** Pushes the node; returns false when the push was deferred to heal the node's children. */
  private boolean transfer(Node node) throws IOException {
    Descriptor desc = node.desc;
    byte[] content = cache.cached(desc);
    if (content == null && !node.successors.isEmpty()) {
      content = cache.bytes(desc); // evicted from the bounded cache since it was examined
    }
    if (content == null) {
      stream(desc);
      return true;
    }
    try {
      pushBytes(desc, content);
      return true;
    } catch (CopyException e) {
      if (!canHeal(node, e)) {
        throw e;
      }
      heal(node, e);
      return false;
    }
  }

  private void stream(Descriptor desc) throws IOException {
    InputStream raw =
        Failures.store(
            CopyException.Side.SOURCE,
            CopyException.Operation.FETCH,
            desc,
            null,
            () -> source.fetch(desc));
    try (raw) {
      // Verified here too, so that content that does not match is blamed on the source.
      SourceStream in = new SourceStream(raw, desc, listener, scheduler()::cancelled);
      try {
        destination.push(desc, in.stream());
      } catch (AlreadyExistsException e) {
        LOG.log(Level.DEBUG, "{0} appeared at the destination during the copy", desc.digest());
      } catch (IOException e) {
        throw pushFailure(desc, in, e);
      }
    } catch (CopyException e) {
      throw e;
    } catch (IOException e) {
      // closing the source stream failed
      throw Failures.wrap(CopyException.Side.SOURCE, CopyException.Operation.FETCH, desc, null, e);
    }
  }

  /**
   * The exception for a push of streamed content that failed: the source's when reading the source
   * is what failed, else the destination's.
   */
  private static IOException pushFailure(Descriptor desc, SourceStream in, IOException e) {
    IOException fromSource = in.sourceFailure();
    if (fromSource != null) {
      IOException failure =
          Failures.wrap(
              CopyException.Side.SOURCE, CopyException.Operation.FETCH, desc, null, fromSource);
      if (e != fromSource) {
        failure.addSuppressed(e);
      }
      return failure;
    }
    return Failures.wrap(
        CopyException.Side.DESTINATION, CopyException.Operation.PUSH, desc, null, e);
  }

  private void pushBytes(Descriptor desc, byte[] content) throws IOException {
    SourceStream in =
        new SourceStream(new ByteArrayInputStream(content), desc, listener, scheduler()::cancelled);
    RootReference ref = rootReference;
    try {
      if (ref != null && ref.root().key().equals(desc.key())) {
        ref.pusher().pushReference(desc, in.stream(), ref.reference());
        rootPushedByReference = true;
      } else {
        destination.push(desc, in.stream());
      }
    } catch (AlreadyExistsException e) {
      LOG.log(Level.DEBUG, "{0} appeared at the destination during the copy", desc.digest());
    } catch (IOException e) {
      throw Failures.wrap(
          CopyException.Side.DESTINATION, CopyException.Operation.PUSH, desc, null, e);
    }
  }

  private boolean canHeal(Node node, CopyException failure) {
    return !node.healAttempted
        && failure.side() == CopyException.Side.DESTINATION
        && ContentException.is(failure.getCause(), NotFoundException.class)
        && node.successors.stream().anyMatch(s -> MediaTypes.isManifest(s.mediaType()));
  }

  private void heal(Node node, CopyException failure) {
    node.healAttempted = true;
    List<Descriptor> manifests = new ArrayList<>();
    for (Descriptor successor : node.successors) {
      if (MediaTypes.isManifest(successor.mediaType())) {
        manifests.add(successor);
      }
    }
    Throwable cause = failure.getCause();
    LOG.log(
        Level.INFO,
        "the destination refused {0} because a child is unknown ({1}); copying its {2} child"
            + " manifest(s) again and retrying once",
        node.desc.digest(),
        cause == null ? failure.getMessage() : cause.getMessage(),
        manifests.size());
    node.pending.set(manifests.size());
    Runnable childHealed =
        () -> {
          if (node.pending.decrementAndGet() == 0) {
            scheduler().submitFirst(() -> transferAndFinish(node));
          }
        };
    for (Descriptor manifest : manifests) {
      Node created = new Node(manifest, true);
      Node child = healed.putIfAbsent(manifest.key(), created);
      if (child == null) {
        child = created;
        scheduler().submitFirst(() -> examine(created));
      }
      if (child.onDone(childHealed)) {
        childHealed.run();
      }
    }
  }

  /**
   * Tries the mount candidates of a blob; true when the blob is at the destination afterwards. As
   * in oras-go, the last candidate's mount carries the blob's content: when the registry declines
   * it (202, an upload session), the blob is uploaded into that session (one {@code POST} and one
   * {@code PUT}) rather than the session being cancelled and a new one started. That upload is a
   * copy: the pre-copy hook runs before the source is read, and the post-copy hook, not the mounted
   * one, after.
   */
  private boolean mount(Node node) throws IOException {
    Descriptor desc = node.desc;
    MountSources mountFrom = options.mountFrom();
    if (mountFrom == null
        || !(destination instanceof Mounter mounter)
        || MediaTypes.isManifest(desc.mediaType())) {
      return false;
    }
    List<String> candidates = mountFrom.candidates(desc);
    for (int i = 0; i < candidates.size(); i++) {
      String repository = candidates.get(i);
      if (scheduler().cancelled()) {
        return true; // nothing more to do; the copy is failing anyway
      }
      UploadFallback fallback = i == candidates.size() - 1 ? new UploadFallback(desc) : null;
      try {
        mounter.mount(desc, repository, fallback);
      } catch (SkippedByHook e) {
        listener.nodeDone(desc);
        node.markDone();
        return true;
      } catch (IOException e) {
        if (fallback != null && fallback.asked()) {
          throw fallback.blame(e);
        }
        if (e instanceof InterruptedIOException) {
          throw Failures.wrap(
              CopyException.Side.DESTINATION, CopyException.Operation.MOUNT, desc, repository, e);
        }
        LOG.log(
            Level.DEBUG,
            "mounting {0} from {1} failed, trying the next candidate: {2}",
            desc.digest(),
            repository,
            e.getMessage());
        continue;
      }
      if (fallback != null && fallback.asked()) {
        NodeHandler postCopy = options.postCopy();
        if (postCopy != null) {
          postCopy.handle(desc);
        }
        listener.nodeDone(desc);
      } else {
        listener.nodeMounted(desc, repository);
        NodeHandler onMounted = options.onMounted();
        if (onMounted != null) {
          onMounted.handle(desc);
        }
      }
      node.markDone();
      return true;
    }
    return false;
  }

  /** The pre-copy hook said to skip a blob whose mount was declined. */
  private static final class SkippedByHook extends IOException {
    private static final long serialVersionUID = 1L;

    SkippedByHook() {
      super("skipped by the pre-copy hook");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // a signal, not an error: no stack trace
    }
  }

  /**
   * The content of a blob for the upload that follows a declined mount: what {@link #stream} would
   * send, verified on the way, with the same blame for a failure.
   */
  private final class UploadFallback implements ContentSupplier {
    private final Descriptor desc;
    private volatile boolean asked;
    private volatile @Nullable SourceStream opened;

    UploadFallback(Descriptor desc) {
      this.desc = desc;
    }

    @Override
    public InputStream open() throws IOException {
      asked = true;
      PreCopyHandler preCopy = options.preCopy();
      if (preCopy != null && preCopy.beforeCopy(desc) == PreCopyDecision.SKIP) {
        throw new SkippedByHook();
      }
      listener.nodeStarted(desc);
      byte[] cached = cache.cached(desc); // read already, e.g. by a successor lookup
      InputStream raw =
          cached != null
              ? new ByteArrayInputStream(cached)
              : Failures.store(
                  CopyException.Side.SOURCE,
                  CopyException.Operation.FETCH,
                  desc,
                  null,
                  () -> source.fetch(desc));
      SourceStream in = new SourceStream(raw, desc, listener, scheduler()::cancelled);
      opened = in;
      return in.stream();
    }

    /** Whether the mount was declined and the content asked for: the blob is a copy then. */
    boolean asked() {
      return asked;
    }

    /** The failure of an upload into a declined mount's session, blamed as a copy's would be. */
    IOException blame(IOException e) {
      SourceStream in = opened;
      return in == null || e instanceof CopyException ? e : pushFailure(desc, in, e);
    }
  }

  /** A node of the graph and what waits for it. */
  static final class Node {
    final Descriptor desc;
    final boolean forced;
    final AtomicInteger pending = new AtomicInteger();
    volatile List<Descriptor> successors = List.of();
    volatile boolean healAttempted;
    private boolean done;
    private final List<Runnable> waiters = new ArrayList<>(1);

    Node(Descriptor desc, boolean forced) {
      this.desc = desc;
      this.forced = forced;
    }

    /**
     * Runs {@code waiter} when the node is done; returns true (without keeping it) if it already
     * is.
     */
    synchronized boolean onDone(Runnable waiter) {
      if (done) {
        return true;
      }
      waiters.add(waiter);
      return false;
    }

    void markDone() {
      List<Runnable> toRun;
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
        toRun = List.copyOf(waiters);
        waiters.clear();
      }
      toRun.forEach(Runnable::run);
    }
  }
}
