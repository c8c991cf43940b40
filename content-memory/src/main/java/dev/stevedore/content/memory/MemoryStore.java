package dev.stevedore.content.memory;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.ContentKey;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.PageConsumer;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.Successors;
import dev.stevedore.content.TagLister;
import dev.stevedore.content.Untagger;
import dev.stevedore.content.VerifyingInputStream;
import dev.stevedore.content.internal.GraphIndex;
import dev.stevedore.content.internal.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A content store in memory: a thread-safe {@link GraphTarget} with {@link Deleter}, {@link
 * Untagger} and {@link TagLister}.
 *
 * <p>Content is keyed on (media type, digest, size), as in oras-go. A push is verified (size, then
 * digest) before the content becomes visible; a failed push leaves nothing. Pushing content that is
 * already there raises {@link AlreadyExistsException}. Manifests and indexes are indexed as they
 * are pushed so {@link #predecessors} knows what points at a node. Tags resolve to descriptors; a
 * digest string resolves too.
 *
 * <p>Holds every blob on the heap: meant for tests, small artifacts and staging, not for multi-GiB
 * layers.
 *
 * <p>{@link #delete} removes the target only, unless the store is built with {@link
 * Builder#autoGc(boolean) auto-GC} (oras-go's {@code AutoGC}): then the referrers of a deleted
 * manifest go too (transitively), and every successor nothing else points at any more, except what
 * a tag names and the subject of a deleted referrer.
 */
public final class MemoryStore implements GraphTarget, Deleter, Untagger, TagLister {
  /** The first array a blob is read into, when it is not smaller. */
  private static final int FIRST_READ_BYTES = 1 << 20;

  private final long maxMetadataBytes;
  private final boolean autoGc;
  private final Map<ContentKey, byte[]> blobs = new ConcurrentHashMap<>();
  private final Object tagLock = new Object();
  private final TreeMap<String, Descriptor> tags = new TreeMap<>();
  private final GraphIndex graph = new GraphIndex();

  /** Serializes auto-GC deletes, so two cascades do not judge each other's half-done work. */
  private final Object deleteLock = new Object();

  /** An empty store with the default metadata limit (4 MiB) for indexing manifests. */
  public MemoryStore() {
    this(Contents.DEFAULT_MAX_METADATA_BYTES);
  }

  /**
   * An empty store.
   *
   * @param maxMetadataBytes the largest manifest it will parse to index predecessors
   */
  public MemoryStore(long maxMetadataBytes) {
    this(maxMetadataBytes, false);
  }

  private MemoryStore(long maxMetadataBytes, boolean autoGc) {
    if (maxMetadataBytes <= 0) {
      throw new IllegalArgumentException("maxMetadataBytes must be positive: " + maxMetadataBytes);
    }
    this.maxMetadataBytes = maxMetadataBytes;
    this.autoGc = autoGc;
  }

  /**
   * A builder, for a store with settings other than the defaults.
   *
   * @return a builder with the defaults: 4 MiB metadata limit, auto-GC off
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MemoryStore}. Not thread-safe; the stores it builds are. */
  public static final class Builder {
    private long maxMetadataBytes = Contents.DEFAULT_MAX_METADATA_BYTES;
    private boolean autoGc;

    private Builder() {}

    /**
     * The largest manifest the store parses to index predecessors; default 4 MiB.
     *
     * @param bytes the limit, positive
     * @return this builder
     */
    public Builder maxMetadataBytes(long bytes) {
      this.maxMetadataBytes = bytes;
      return this;
    }

    /**
     * Whether {@link MemoryStore#delete} also removes what a deletion leaves dangling: the
     * referrers of a deleted manifest (transitively) and the successors nothing else points at,
     * except tagged ones and the subject of a deleted referrer; default false.
     *
     * @param on true for auto-GC
     * @return this builder
     */
    public Builder autoGc(boolean on) {
      this.autoGc = on;
      return this;
    }

    /**
     * Builds an empty store.
     *
     * @return the store
     * @throws IllegalArgumentException if the metadata limit is not positive
     */
    public MemoryStore build() {
      return new MemoryStore(maxMetadataBytes, autoGc);
    }
  }

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    byte[] bytes = blobs.get(target.key());
    if (bytes == null) {
      throw notFound(target);
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public boolean exists(Descriptor target) {
    return blobs.containsKey(target.key());
  }

  @Override
  public void push(Descriptor expected, InputStream content) throws IOException {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(content, "content");
    ContentKey key = expected.key();
    if (blobs.containsKey(key)) {
      throw new AlreadyExistsException(
          expected.digest() + ": " + expected.mediaType() + ": already exists");
    }
    if (expected.size() > Integer.MAX_VALUE - 16) {
      throw new SizeLimitExceededException(
          expected.digest()
              + ": "
              + expected.size()
              + " bytes is too large for a memory store; use an OCI layout or file store",
          Integer.MAX_VALUE - 16);
    }
    byte[] bytes = readVerified(expected, content);
    // Index before publishing, so a visible manifest always has known predecessors edges.
    if (Successors.mayHaveSuccessors(expected.mediaType())) {
      graph.index(expected, bytesSuccessors(expected, bytes));
    }
    if (blobs.putIfAbsent(key, bytes) != null) {
      throw new AlreadyExistsException(
          expected.digest() + ": " + expected.mediaType() + ": already exists");
    }
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    Objects.requireNonNull(reference, "reference");
    if (reference.isEmpty()) {
      throw new InvalidReferenceException("empty reference: give a tag or a digest");
    }
    synchronized (tagLock) {
      Descriptor tagged = tags.get(reference);
      if (tagged != null) {
        return tagged;
      }
    }
    Digest digest = Digest.tryParse(reference).orElse(null);
    if (digest != null) {
      for (ContentKey key : blobs.keySet()) {
        if (key.digest().equals(digest)) {
          return Descriptor.of(key.mediaType(), key.digest(), key.size());
        }
      }
    }
    throw new NotFoundException(reference + ": not found", reference);
  }

  @Override
  public void tag(Descriptor desc, String reference) throws IOException {
    Objects.requireNonNull(desc, "desc");
    Objects.requireNonNull(reference, "reference");
    if (reference.isEmpty()) {
      throw new InvalidReferenceException("empty reference: give a tag");
    }
    if (!exists(desc)) {
      throw notFound(desc);
    }
    synchronized (tagLock) {
      tags.put(reference, desc);
    }
  }

  @Override
  public void untag(String reference) throws IOException {
    synchronized (tagLock) {
      if (tags.remove(reference) == null) {
        throw new NotFoundException(reference + ": tag not found", reference);
      }
    }
  }

  @Override
  public void tags(@Nullable String last, PageConsumer<String> consumer) throws IOException {
    List<String> page;
    synchronized (tagLock) {
      page =
          new ArrayList<>(
              last == null || last.isEmpty() ? tags.keySet() : tags.tailMap(last, false).keySet());
    }
    consumer.accept(List.copyOf(page));
  }

  @Override
  public List<Descriptor> predecessors(Descriptor node) {
    return graph.predecessors(node);
  }

  /**
   * Deletes content and the tags naming it; with auto-GC (see {@link Builder#autoGc(boolean)}),
   * also the referrers of a deleted manifest and the successors left dangling, tagged ones and the
   * subject of a deleted referrer excepted.
   *
   * @param target the content
   * @throws NotFoundException if the store does not have it
   */
  @Override
  public void delete(Descriptor target) throws IOException {
    Objects.requireNonNull(target, "target");
    if (!autoGc) {
      deleteNode(target);
      return;
    }
    synchronized (deleteLock) {
      if (!exists(target)) {
        throw notFound(target);
      }
      Deque<Descriptor> queue = new ArrayDeque<>(List.of(target));
      Set<Digest> seen = new HashSet<>();
      while (!queue.isEmpty()) {
        Descriptor head = queue.removeFirst();
        byte[] bytes = blobs.get(head.key());
        if (!seen.add(head.digest()) || bytes == null) {
          continue;
        }
        List<Descriptor> successors = new ArrayList<>();
        if (Successors.mayHaveSuccessors(head.mediaType())) {
          for (Descriptor predecessor : graph.predecessors(head)) {
            if (head.digest().equals(subjectOf(predecessor))) {
              queue.addLast(predecessor);
            }
          }
          Digest subject = subjectOf(head);
          successors.addAll(bytesSuccessors(head, bytes));
          successors.removeIf(successor -> successor.digest().equals(subject));
        }
        deleteNode(head);
        for (Descriptor successor : successors) {
          if (graph.predecessors(successor).isEmpty() && !isTagged(successor.digest())) {
            queue.addLast(successor);
          }
        }
      }
    }
  }

  private void deleteNode(Descriptor target) throws NotFoundException {
    if (blobs.remove(target.key()) == null) {
      throw notFound(target);
    }
    graph.remove(target);
    synchronized (tagLock) {
      tags.values().removeIf(d -> d.digest().equals(target.digest()));
    }
  }

  private boolean isTagged(Digest digest) {
    synchronized (tagLock) {
      return tags.values().stream().anyMatch(d -> d.digest().equals(digest));
    }
  }

  /**
   * The subject a stored manifest names, or null (not a manifest, absent, no subject, unreadable).
   */
  private @Nullable Digest subjectOf(Descriptor node) {
    byte[] bytes = blobs.get(node.key());
    if (bytes == null
        || bytes.length > maxMetadataBytes
        || !Successors.mayHaveSuccessors(node.mediaType())) {
      return null;
    }
    try {
      return Json.subjectDigest(bytes, "manifest");
    } catch (IOException e) {
      return null;
    }
  }

  private List<Descriptor> bytesSuccessors(Descriptor desc, byte[] bytes) throws IOException {
    if (bytes.length > maxMetadataBytes) {
      return List.of();
    }
    return Successors.parse(desc, bytes);
  }

  /**
   * Reads a blob into an array of exactly its size. The array grows with the bytes that arrive
   * (doubling, from {@link #FIRST_READ_BYTES}), never past the descriptor's size, so a descriptor
   * that claims gigabytes costs nothing until they come, and the last step makes the final array:
   * less than twice the blob is on the heap while it is read (1.5 times for a power of two), and no
   * copy is made at the end (a growing byte stream and its copy took up to three times: a 1 GiB
   * blob did not fit in a 3 GiB heap).
   *
   * <p>The verifying stream hands out at most the descriptor's size and, before it reports its end,
   * throws for content that ends early, goes on past the size or hashes differently: once it has
   * been read to its end, the array is full and holds the described content.
   */
  private static byte[] readVerified(Descriptor expected, InputStream content) throws IOException {
    InputStream in = VerifyingInputStream.wrap(content, expected);
    int size = Math.toIntExact(expected.size()); // push() refused larger ones
    byte[] bytes = new byte[Math.min(size, FIRST_READ_BYTES)];
    int filled = in.readNBytes(bytes, 0, bytes.length);
    while (filled == bytes.length && filled < size) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(size, 2L * bytes.length));
      filled += in.readNBytes(bytes, filled, bytes.length - filled);
    }
    in.transferTo(OutputStream.nullOutputStream()); // to its end: the size and digest checks
    return bytes;
  }

  private static NotFoundException notFound(Descriptor desc) {
    return new NotFoundException(
        desc.digest() + ": " + desc.mediaType() + ": not found", desc.digest());
  }
}
