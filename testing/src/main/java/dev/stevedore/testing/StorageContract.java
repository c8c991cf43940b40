package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link Storage}: push, fetch, exists, with verification and concurrency.
 *
 * @param <S> the store type
 */
public interface StorageContract<S extends Storage> extends StoreContract<S> {

  /**
   * Reads the whole content of a descriptor.
   *
   * @param store the store
   * @param desc the content
   * @return the bytes
   * @throws IOException if fetching fails
   */
  static byte[] fetchAll(Storage store, Descriptor desc) throws IOException {
    try (InputStream in = store.fetch(desc)) {
      return in.readAllBytes();
    }
  }

  /** Contract: Round trip of an empty blob. */
  @Test
  default void roundTripOfAnEmptyBlob() throws Exception {
    roundTrip(new byte[0], "empty");
  }

  /** Contract: Round trip of a small blob. */
  @Test
  default void roundTripOfASmallBlob() throws Exception {
    roundTrip(Fixtures.utf8("hello, stevedore"), "small");
  }

  /** Contract: Round trip of a multi mebibyte blob. */
  @Test
  default void roundTripOfAMultiMebibyteBlob() throws Exception {
    roundTrip(Fixtures.randomBytes(5 * 1024 * 1024 + 17, 42), "large");
  }

  private void roundTrip(byte[] content, String name) throws Exception {
    S store = newStore();
    Descriptor desc = blobDescriptor(content, name);
    assertThat(store.exists(desc)).as("exists before push").isFalse();
    store.push(desc, new ByteArrayInputStream(content));
    assertThat(store.exists(desc)).as("exists after push").isTrue();
    assertThat(fetchAll(store, desc)).isEqualTo(content);
  }

  /** Contract: Fetch of missing content is not found. */
  @Test
  default void fetchOfMissingContentIsNotFound() throws Exception {
    S store = newStore();
    Descriptor missing = blobDescriptor(Fixtures.utf8("never pushed"), "missing");
    assertThatThrownBy(() -> fetchAll(store, missing))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.digest()).isEqualTo(missing.digest()));
    assertThat(store.exists(missing)).isFalse();
  }

  /** Contract: Push rejects content whose digest differs. */
  @Test
  default void pushRejectsContentWhoseDigestDiffers() throws Exception {
    S store = newStore();
    byte[] content = Fixtures.utf8("the real content");
    byte[] other = Fixtures.utf8("the fake content");
    Descriptor desc = blobDescriptor(content, "wrong-digest");
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(other)))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(store.exists(desc)).as("nothing stored after a failed push").isFalse();
    // the right content can still be pushed afterwards
    store.push(desc, new ByteArrayInputStream(content));
    assertThat(fetchAll(store, desc)).isEqualTo(content);
  }

  /** Contract: Push rejects content that ends early. */
  @Test
  default void pushRejectsContentThatEndsEarly() throws Exception {
    S store = newStore();
    byte[] content = Fixtures.randomBytes(4096, 7);
    Descriptor desc = blobDescriptor(content, "short");
    byte[] truncated = java.util.Arrays.copyOf(content, 4000);
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(truncated)))
        .isInstanceOfSatisfying(
            DigestMismatchException.class, e -> assertThat(e.expected()).isEqualTo(desc.digest()));
    assertThat(store.exists(desc)).isFalse();
  }

  /** Contract: Push rejects content longer than its descriptor. */
  @Test
  default void pushRejectsContentLongerThanItsDescriptor() throws Exception {
    S store = newStore();
    byte[] content = Fixtures.randomBytes(4096, 8);
    Descriptor desc = blobDescriptor(content, "long");
    byte[] longer = java.util.Arrays.copyOf(content, 5000);
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(longer)))
        .isInstanceOfSatisfying(
            SizeLimitExceededException.class, e -> assertThat(e.limit()).isEqualTo(desc.size()));
    assertThat(store.exists(desc)).isFalse();
  }

  /** Contract: Push of existing content keeps it intact. */
  @Test
  default void pushOfExistingContentKeepsItIntact() throws Exception {
    S store = newStore();
    byte[] content = Fixtures.utf8("twice");
    Descriptor desc = blobDescriptor(content, "twice");
    store.push(desc, new ByteArrayInputStream(content));
    try {
      store.push(desc, new ByteArrayInputStream(content));
    } catch (AlreadyExistsException expected) {
      // stores that can tell say so; registries accept the push again
    }
    assertThat(fetchAll(store, desc)).isEqualTo(content);
  }

  /** Contract: Exists is false for a different digest. */
  @Test
  default void existsIsFalseForADifferentDigest() throws Exception {
    S store = newStore();
    byte[] content = Fixtures.utf8("present");
    Descriptor desc = blobDescriptor(content, "present");
    store.push(desc, new ByteArrayInputStream(content));
    Descriptor other =
        Descriptor.of(desc.mediaType(), Digest.sha256(Fixtures.utf8("absent")), content.length)
            .withAnnotations(desc.annotations());
    assertThat(store.exists(other)).isFalse();
  }

  /** Contract: Concurrent pushes of the same content store it once. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  default void concurrentPushesOfTheSameContentStoreItOnce() throws Exception {
    S store = newStore();
    byte[] content = Fixtures.randomBytes(256 * 1024, 99);
    Descriptor desc = blobDescriptor(content, "same");
    List<Throwable> failures =
        runConcurrently(
            8,
            i -> {
              try {
                store.push(desc, new ByteArrayInputStream(content));
              } catch (AlreadyExistsException e) {
                // another thread won
              }
              return null;
            });
    assertThat(failures).isEmpty();
    assertThat(fetchAll(store, desc)).isEqualTo(content);
  }

  /** Contract: Concurrent pushes of different content all land. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  default void concurrentPushesOfDifferentContentAllLand() throws Exception {
    S store = newStore();
    List<byte[]> contents = new ArrayList<>();
    List<Descriptor> descs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] content = Fixtures.randomBytes(64 * 1024 + i, 1000 + i);
      contents.add(content);
      descs.add(blobDescriptor(content, "different-" + i));
    }
    List<Throwable> failures =
        runConcurrently(
            8,
            i -> {
              store.push(descs.get(i), new ByteArrayInputStream(contents.get(i)));
              return null;
            });
    assertThat(failures).isEmpty();
    for (int i = 0; i < 8; i++) {
      assertThat(fetchAll(store, descs.get(i))).isEqualTo(contents.get(i));
    }
  }

  /** A task run by {@link #runConcurrently}. */
  @FunctionalInterface
  interface IndexedTask {
    /**
     * Runs task {@code i}.
     *
     * @param i the task number
     * @return ignored, so null will do
     * @throws Exception to fail
     */
    @Nullable Object run(int i) throws Exception;
  }

  /**
   * Runs {@code n} tasks on {@code n} threads, released at once, and collects their failures.
   *
   * @param n how many
   * @param task the task
   * @return the failures, empty when all succeeded
   * @throws Exception if waiting fails
   */
  static List<Throwable> runConcurrently(int n, IndexedTask task) throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "contract-worker");
              t.setDaemon(true);
              return t;
            });
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<Object> c =
            () -> {
              start.await();
              return task.run(index);
            };
        futures.add(pool.submit(c));
      }
      start.countDown();
      List<Throwable> failures = new ArrayList<>();
      for (Future<Object> f : futures) {
        try {
          f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      return failures;
    } finally {
      pool.shutdownNow();
    }
  }
}
