package dev.stevedore.copy;

import dev.stevedore.content.Contents;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@link Copy#copyGraph}: immutable, changed with {@code with...} methods that return a
 * copy. Start from {@link #defaults()}.
 *
 * <p>Defaults: concurrency {@value #DEFAULT_CONCURRENCY}; metadata limit 4 MiB; no pre-copy,
 * post-copy, skipped or mounted hooks; no mount sources; successors found by {@link
 * dev.stevedore.content.Successors#find}; the engine's own pool of named daemon threads; no
 * listener.
 */
public final class CopyGraphOptions {
  /**
   * The default number of transfers in flight at once: 5. oras-go (like containerd, and dockerd for
   * downloads) uses 3. Stevedore's harness ({@code ConcurrencyBenchmark} in the module's tests: a
   * two-platform image of 15 blobs, 40 MiB, between two simulated registries; median of 5 runs)
   * copies a quarter to a third faster with 5 than with 3 (20 ms per request, 8 MiB/s per
   * connection, 40 MiB/s link: 2.30 s at 3, 1.56 s at 5; 50 ms, 20 MiB/s, 100 MiB/s: 1.68 s and
   * 1.29 s). 8 was faster still in the simulation (1.29 s, 1.06 s), but the simulation knows
   * nothing of registries that throttle clients opening many connections; 5 is dockerd's default
   * for uploads and takes most of the gain. Raise it for wide graphs on fast links.
   */
  public static final int DEFAULT_CONCURRENCY = 5;

  /** The default metadata limit: 4 MiB. */
  public static final long DEFAULT_MAX_METADATA_BYTES = Contents.DEFAULT_MAX_METADATA_BYTES;

  private static final CopyGraphOptions DEFAULTS = new CopyGraphOptions(new Values());

  /** The fields of one options value, copied and changed by each {@code with} method. */
  private static final class Values {
    int concurrency = DEFAULT_CONCURRENCY;
    long maxMetadataBytes = DEFAULT_MAX_METADATA_BYTES;
    long blindPushBelow;
    @Nullable PreCopyHandler preCopy;
    @Nullable NodeHandler postCopy;
    @Nullable NodeHandler onCopySkipped;
    @Nullable MountSources mountFrom;
    @Nullable NodeHandler onMounted;
    @Nullable SuccessorLookup findSuccessors;
    @Nullable Executor executor;
    CopyListener listener = CopyListener.NONE;
  }

  private final int concurrency;
  private final long maxMetadataBytes;
  private final long blindPushBelow;
  private final @Nullable PreCopyHandler preCopy;
  private final @Nullable NodeHandler postCopy;
  private final @Nullable NodeHandler onCopySkipped;
  private final @Nullable MountSources mountFrom;
  private final @Nullable NodeHandler onMounted;
  private final @Nullable SuccessorLookup findSuccessors;
  private final @Nullable Executor executor;
  private final CopyListener listener;

  private CopyGraphOptions(Values v) {
    this.concurrency = v.concurrency;
    this.maxMetadataBytes = v.maxMetadataBytes;
    this.blindPushBelow = v.blindPushBelow;
    this.preCopy = v.preCopy;
    this.postCopy = v.postCopy;
    this.onCopySkipped = v.onCopySkipped;
    this.mountFrom = v.mountFrom;
    this.onMounted = v.onMounted;
    this.findSuccessors = v.findSuccessors;
    this.executor = v.executor;
    this.listener = v.listener;
  }

  private CopyGraphOptions with(Consumer<Values> change) {
    Values v = new Values();
    v.concurrency = concurrency;
    v.maxMetadataBytes = maxMetadataBytes;
    v.blindPushBelow = blindPushBelow;
    v.preCopy = preCopy;
    v.postCopy = postCopy;
    v.onCopySkipped = onCopySkipped;
    v.mountFrom = mountFrom;
    v.onMounted = onMounted;
    v.findSuccessors = findSuccessors;
    v.executor = executor;
    v.listener = listener;
    change.accept(v);
    return new CopyGraphOptions(v);
  }

  /**
   * The default options (see the class description).
   *
   * @return the defaults
   */
  public static CopyGraphOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The most transfers (exists checks, fetches of manifests, blob copies, pushes) in flight at
   * once.
   *
   * @return the limit, at least 1; default {@value #DEFAULT_CONCURRENCY}
   */
  public int concurrency() {
    return concurrency;
  }

  /**
   * Sets the concurrency limit.
   *
   * @param value at least 1
   * @return a copy with the limit
   * @throws IllegalArgumentException if {@code value < 1}
   */
  public CopyGraphOptions withConcurrency(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1: " + value);
    }
    return with(v -> v.concurrency = value);
  }

  /**
   * The largest manifest read into memory, and the bound of the metadata cache (bytes of cached
   * manifests and indexes). A manifest whose descriptor claims more fails the copy with a {@link
   * dev.stevedore.content.SizeLimitExceededException} before anything is read.
   *
   * @return the limit in bytes; default 4 MiB
   */
  public long maxMetadataBytes() {
    return maxMetadataBytes;
  }

  /**
   * Sets the metadata limit.
   *
   * @param value bytes, positive
   * @return a copy with the limit
   * @throws IllegalArgumentException if {@code value < 1}
   */
  public CopyGraphOptions withMaxMetadataBytes(long value) {
    if (value < 1) {
      throw new IllegalArgumentException("maxMetadataBytes must be positive: " + value);
    }
    return with(v -> v.maxMetadataBytes = value);
  }

  /**
   * Blobs smaller than this are pushed without first asking the destination whether it has them.
   * For a small blob on a registry the question costs as much as the answer: a {@code HEAD} is a
   * round trip, and the upload it might save is two small requests that succeed whether the blob is
   * there or not. Pushing blind cuts a third of the requests of a copy of many small layers. Only
   * blobs (content that cannot have successors) are pushed blind; a manifest is always checked, so
   * an existing sub-graph is still skipped whole. A blob that turns out to exist is reported as
   * copied, not skipped, and {@link #preCopy()} and {@link #postCopy()} see it. Worth it only where
   * a check is a network round trip: stores on disk or in memory answer from a lookup and would
   * rather be asked.
   *
   * @return the size in bytes under which blobs are pushed blind; default 0 (every node checked, as
   *     oras-go does)
   */
  public long blindPushBelow() {
    return blindPushBelow;
  }

  /**
   * Sets the size under which blobs are pushed without an exists check.
   *
   * @param bytes 0 (the default) to check every node, or a size in bytes (the CLI uses 64 KiB when
   *     the destination is a registry)
   * @return a copy with it
   * @throws IllegalArgumentException if {@code bytes < 0}
   */
  public CopyGraphOptions withBlindPushBelow(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("blindPushBelow must not be negative: " + bytes);
    }
    return with(v -> v.blindPushBelow = bytes);
  }

  /**
   * The hook called before each node is copied.
   *
   * @return the hook, or null (default)
   */
  public @Nullable PreCopyHandler preCopy() {
    return preCopy;
  }

  /**
   * Sets the pre-copy hook.
   *
   * @param value the hook, or null for none
   * @return a copy with the hook
   */
  public CopyGraphOptions withPreCopy(@Nullable PreCopyHandler value) {
    return with(v -> v.preCopy = value);
  }

  /**
   * The hook called after each node is copied (not after a skip or a mount).
   *
   * @return the hook, or null (default)
   */
  public @Nullable NodeHandler postCopy() {
    return postCopy;
  }

  /**
   * Sets the post-copy hook.
   *
   * @param value the hook, or null for none
   * @return a copy with the hook
   */
  public CopyGraphOptions withPostCopy(@Nullable NodeHandler value) {
    return with(v -> v.postCopy = value);
  }

  /**
   * The hook called when a node is already at the destination and is skipped with its sub-graph.
   *
   * @return the hook, or null (default)
   */
  public @Nullable NodeHandler onCopySkipped() {
    return onCopySkipped;
  }

  /**
   * Sets the skipped hook.
   *
   * @param value the hook, or null for none
   * @return a copy with the hook
   */
  public CopyGraphOptions withOnCopySkipped(@Nullable NodeHandler value) {
    return with(v -> v.onCopySkipped = value);
  }

  /**
   * Where blobs may be mounted from, used when the destination is a {@link
   * dev.stevedore.content.Mounter}. The candidates are tried in order; the first that succeeds
   * fires {@link #onMounted()} and transfers no bytes. The last one's mount carries the blob's
   * content, as in oras-go: when the registry declines it (a 202 with an upload session), the blob
   * is uploaded into that session, which is a copy (pre-copy hook, transfer, post-copy hook). When
   * every mount fails with an error instead, the blob is copied like any other.
   *
   * @return the candidate source, or null (default: never mount)
   */
  public @Nullable MountSources mountFrom() {
    return mountFrom;
  }

  /**
   * Sets the mount candidates.
   *
   * @param value the candidate source, or null to never mount
   * @return a copy with it
   */
  public CopyGraphOptions withMountFrom(@Nullable MountSources value) {
    return with(v -> v.mountFrom = value);
  }

  /**
   * The hook called when a blob was mounted.
   *
   * @return the hook, or null (default)
   */
  public @Nullable NodeHandler onMounted() {
    return onMounted;
  }

  /**
   * Sets the mounted hook.
   *
   * @param value the hook, or null for none
   * @return a copy with the hook
   */
  public CopyGraphOptions withOnMounted(@Nullable NodeHandler value) {
    return with(v -> v.onMounted = value);
  }

  /**
   * The successor discovery override.
   *
   * @return the override, or null (default: {@link dev.stevedore.content.Successors#find})
   */
  public @Nullable SuccessorLookup findSuccessors() {
    return findSuccessors;
  }

  /**
   * Overrides successor discovery.
   *
   * @param value the override, or null for the default
   * @return a copy with it
   */
  public CopyGraphOptions withFindSuccessors(@Nullable SuccessorLookup value) {
    return with(v -> v.findSuccessors = value);
  }

  /**
   * The executor transfers run on. The engine never submits more than {@link #concurrency()} tasks
   * at once and its tasks never block waiting for one another, so any executor works: a thread
   * pool, virtual threads, even {@code Runnable::run} (the copy then runs on the calling thread).
   * The executor must accept every task: a {@link java.util.concurrent.RejectedExecutionException}
   * fails the copy. Interrupts the engine sends to cancel a task are cleared before the thread
   * returns to the executor.
   *
   * @return the executor, or null (default: a pool of {@code concurrency} named daemon threads,
   *     created for the copy and shut down when it ends)
   */
  public @Nullable Executor executor() {
    return executor;
  }

  /**
   * Sets the executor.
   *
   * @param value the executor, or null for the engine's own pool
   * @return a copy with it
   */
  public CopyGraphOptions withExecutor(@Nullable Executor value) {
    return with(v -> v.executor = value);
  }

  /**
   * The progress listener.
   *
   * @return the listener; default {@link CopyListener#NONE}
   */
  public CopyListener listener() {
    return listener;
  }

  /**
   * Sets the progress listener.
   *
   * @param value the listener
   * @return a copy with it
   */
  public CopyGraphOptions withListener(CopyListener value) {
    return with(v -> v.listener = Objects.requireNonNull(value, "listener"));
  }

  @Override
  public String toString() {
    return "CopyGraphOptions[concurrency="
        + concurrency
        + ", maxMetadataBytes="
        + maxMetadataBytes
        + ", blindPushBelow="
        + blindPushBelow
        + "]";
  }
}
