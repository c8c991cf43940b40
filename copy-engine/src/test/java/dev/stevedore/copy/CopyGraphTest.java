package dev.stevedore.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.ContentKey;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.Fixtures;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CopyGraphTest {
  private final MemoryStore sourceStore = new MemoryStore();
  private final MemoryStore destinationStore = new MemoryStore();
  private final InstrumentedStore.Gauge gauge = new InstrumentedStore.Gauge();
  private final InstrumentedStore source = new InstrumentedStore(sourceStore, gauge);
  private final InstrumentedStore destination = new InstrumentedStore(destinationStore, gauge);

  CopyGraphTest() {
    destination.manifestSource = sourceStore;
  }

  private void copyGraph(Descriptor root) throws IOException {
    Copy.copyGraph(source, destination, root, CopyGraphOptions.defaults());
  }

  private void assertCopied(Descriptor root) throws IOException {
    assertThat(destinationStore.exists(root)).isTrue();
    for (Descriptor child :
        dev.stevedore.content.Successors.find(sourceStore, root, Long.MAX_VALUE)) {
      assertCopied(child);
    }
  }

  @Test
  void copiesASingleBlob() throws IOException {
    Descriptor blob = Graphs.blob(sourceStore, "hello");

    copyGraph(blob);

    assertThat(destinationStore.fetch(blob).readAllBytes()).isEqualTo(Fixtures.utf8("hello"));
  }

  @Test
  void copiesAnImageManifestWithItsConfigAndLayers() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 3);

    copyGraph(image);

    assertCopied(image);
    assertThat(destination.total("push")).isEqualTo(5);
  }

  @Test
  void copiesAMultiPlatformIndex() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);

    copyGraph(graph.index());

    assertCopied(graph.index());
  }

  @Test
  void copiesADiamondWithTheSharedNodeOnce() throws IOException {
    Descriptor bottom = Graphs.blob(sourceStore, "bottom");
    Descriptor config =
        Fixtures.push(sourceStore, MediaTypes.EMPTY_JSON, MediaTypes.emptyJsonBytes());
    Descriptor left =
        Fixtures.pushManifest(
            sourceStore, "application/left", config, List.of(bottom), null, Map.of());
    Descriptor right =
        Fixtures.pushManifest(
            sourceStore, "application/right", config, List.of(bottom), null, Map.of());
    Descriptor top = Fixtures.pushIndex(sourceStore, List.of(left, right));

    copyGraph(top);

    assertCopied(top);
    assertThat(destination.count("push", bottom)).isEqualTo(1);
    assertThat(source.count("fetch", bottom)).isEqualTo(1);
    assertThat(destination.count("push", config)).isEqualTo(1);
  }

  @Test
  void pushesChildrenBeforeTheirParents() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);

    Copy.copyGraph(
        source, destination, graph.index(), CopyGraphOptions.defaults().withConcurrency(8));

    assertThat(destination.violations()).isEmpty();
    List<ContentKey> order = destination.pushOrder();
    assertThat(order.get(order.size() - 1)).isEqualTo(graph.index().key());
    for (Descriptor manifest : graph.manifests()) {
      assertThat(order.indexOf(manifest.key())).isGreaterThan(order.indexOf(graph.base().key()));
    }
  }

  @Test
  void skipsANodeAtTheDestinationWithItsWholeSubGraphAfterOneExistsCheck() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    Descriptor present = graph.manifests().get(0);
    Copy.copyGraph(sourceStore, destinationStore, present, CopyGraphOptions.defaults());
    List<Descriptor> skipped = Collections.synchronizedList(new ArrayList<>());

    Copy.copyGraph(
        source,
        destination,
        graph.index(),
        CopyGraphOptions.defaults().withOnCopySkipped(skipped::add));

    // the base layer is shared with the other platforms, so it is skipped too
    assertThat(skipped)
        .extracting(Descriptor::key)
        .containsExactlyInAnyOrder(present.key(), graph.base().key());
    assertThat(destination.count("exists", present)).isEqualTo(1);
    assertThat(source.count("fetch", present)).isZero();
    Descriptor config =
        dev.stevedore.content.Manifest.parse(sourceStore.fetch(present).readAllBytes()).config();
    assertThat(destination.count("exists", config)).isZero();
    assertCopied(graph.index());
  }

  @Test
  void skipsEverythingWhenTheRootIsAlreadyThere() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 2);
    Copy.copyGraph(sourceStore, destinationStore, image, CopyGraphOptions.defaults());

    copyGraph(image);

    assertThat(destination.total("exists")).isEqualTo(1);
    assertThat(destination.total("push")).isZero();
    assertThat(source.total("fetch")).isZero();
  }

  @Test
  void pushesSmallBlobsBlindButStillChecksManifestsAndBigBlobs() throws IOException {
    Descriptor small = Graphs.blob(sourceStore, "small layer");
    Descriptor big = Graphs.blob(sourceStore, "a layer of more than sixteen bytes");
    Descriptor config = Graphs.blob(sourceStore, "{}");
    Descriptor image =
        Fixtures.pushManifest(sourceStore, null, config, List.of(small, big), null, Map.of());
    // the small layer is already there: pushed blind, it is reported as copied, not skipped
    Copy.copyGraph(sourceStore, destinationStore, small, CopyGraphOptions.defaults());
    List<Descriptor> skipped = Collections.synchronizedList(new ArrayList<>());

    Copy.copyGraph(
        source,
        destination,
        image,
        CopyGraphOptions.defaults().withBlindPushBelow(16).withOnCopySkipped(skipped::add));

    assertCopied(image);
    assertThat(destination.count("exists", image)).isEqualTo(1);
    assertThat(destination.count("exists", big)).isEqualTo(1);
    assertThat(destination.count("exists", small)).isZero();
    assertThat(destination.count("exists", config)).isZero();
    assertThat(destination.count("push", small)).isEqualTo(1);
    assertThat(skipped).isEmpty();
    assertThat(destinationStore.fetch(small).readAllBytes())
        .isEqualTo(Fixtures.utf8("small layer"));
  }

  @Test
  void aNegativeBlindPushSizeIsRefused() {
    assertThatThrownBy(() -> CopyGraphOptions.defaults().withBlindPushBelow(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CopyGraphOptions.defaults().blindPushBelow()).isZero();
  }

  @Test
  void copiesANodeSharedByManyParentsExactlyOnce() throws IOException {
    Descriptor base = Graphs.blob(sourceStore, "base");
    List<Descriptor> manifests = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      Descriptor own = Graphs.blob(sourceStore, "own " + i);
      Descriptor config = Graphs.blob(sourceStore, "config " + i);
      manifests.add(
          Fixtures.pushManifest(sourceStore, null, config, List.of(base, own), null, Map.of()));
    }
    Descriptor index = Fixtures.pushIndex(sourceStore, manifests);

    Copy.copyGraph(source, destination, index, CopyGraphOptions.defaults().withConcurrency(16));

    assertCopied(index);
    assertThat(source.count("fetch", base)).isEqualTo(1);
    assertThat(destination.count("push", base)).isEqualTo(1);
    assertThat(destination.count("exists", base)).isEqualTo(1);
  }

  @Test
  void neverHasMoreTransfersInFlightThanTheConcurrencyLimit() throws IOException {
    int limit = 3;
    Descriptor image = Graphs.image(sourceStore, "wide", 4 * limit);
    CountDownLatch allInFlight = new CountDownLatch(limit);
    destination.intercept(
        (op, desc) -> {
          if (op.equals("push") && desc.mediaType().equals(MediaTypes.OCI_LAYER)) {
            allInFlight.countDown();
            await(allInFlight, 5);
          }
        });

    Copy.copyGraph(source, destination, image, CopyGraphOptions.defaults().withConcurrency(limit));

    assertCopied(image);
    assertThat(gauge.peak()).isEqualTo(limit);
  }

  @Test
  void doesNotDeadlockOnADeepChainWithConcurrencyOne() throws IOException {
    Descriptor root = Graphs.chain(sourceStore, 200);

    Copy.copyGraph(source, destination, root, CopyGraphOptions.defaults().withConcurrency(1));

    assertCopied(root);
  }

  @Test
  void doesNotDeadlockOnAWideFanOut() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "fan", 600);

    Copy.copyGraph(source, destination, image, CopyGraphOptions.defaults().withConcurrency(2));

    assertCopied(image);
  }

  @Test
  void runsOnTheCallingThreadWithADirectExecutor() throws IOException {
    Descriptor root = Graphs.chain(sourceStore, 2000);
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    Descriptor both = Fixtures.pushIndex(sourceStore, List.of(root, graph.index()));
    Thread caller = Thread.currentThread();
    AtomicBoolean elsewhere = new AtomicBoolean();
    destination.intercept(
        (op, desc) -> elsewhere.compareAndSet(false, Thread.currentThread() != caller));

    Copy.copyGraph(
        source, destination, both, CopyGraphOptions.defaults().withExecutor(Runnable::run));

    assertCopied(both);
    assertThat(elsewhere).isFalse();
  }

  @Test
  void runsOnAnExecutorTheCallerPasses() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    ForkJoinPool pool = new ForkJoinPool(4);
    try {
      Copy.copyGraph(
          source, destination, graph.index(), CopyGraphOptions.defaults().withExecutor(pool));
    } finally {
      pool.shutdown();
    }
    assertCopied(graph.index());
  }

  @Test
  void progressesOnASingleThreadExecutorWhateverTheConcurrencyLimit() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    java.util.concurrent.ExecutorService single =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      Copy.copyGraph(
          source,
          destination,
          graph.index(),
          CopyGraphOptions.defaults().withConcurrency(8).withExecutor(single));
    } finally {
      single.shutdown();
    }
    assertCopied(graph.index());
  }

  @Test
  void reportsASourceFetchFailureWithSideOperationAndDescriptor() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 2);
    Descriptor layer = Graphs.blob(sourceStore, "img-layer-1");
    source.intercept(
        (op, desc) -> {
          if (op.equals("fetch") && desc.digest().equals(layer.digest())) {
            throw new NotFoundException(desc.digest() + ": not found");
          }
        });

    Throwable thrown = catchThrowable(() -> copyGraph(image));

    assertThat(thrown).isInstanceOf(CopyException.class);
    CopyException e = (CopyException) thrown;
    assertThat(e.side()).isEqualTo(CopyException.Side.SOURCE);
    assertThat(e.operation()).isEqualTo(CopyException.Operation.FETCH);
    assertThat(e.descriptor()).isEqualTo(layer);
    assertThat(ContentException.is(e, NotFoundException.class)).isTrue();
    assertThat(destinationStore.exists(image)).isFalse();
  }

  @Test
  void reportsADestinationPushFailure() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    destination.intercept(
        (op, desc) -> {
          if (op.equals("push") && desc.mediaType().equals(MediaTypes.OCI_LAYER)) {
            throw new IOException("disk full");
          }
        });

    assertThatThrownBy(() -> copyGraph(image))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.DESTINATION);
              assertThat(e.operation()).isEqualTo(CopyException.Operation.PUSH);
              assertThat(java.util.Objects.requireNonNull(e.descriptor(), "descriptor").mediaType())
                  .isEqualTo(MediaTypes.OCI_LAYER);
            })
        .hasMessage("failed to perform \"Push\" on destination: disk full");
  }

  @Test
  void reportsADestinationExistsFailure() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    destination.intercept(
        (op, desc) -> {
          if (op.equals("exists")) {
            throw new IOException("connection reset");
          }
        });

    assertThatThrownBy(() -> copyGraph(image))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.DESTINATION);
              assertThat(e.operation()).isEqualTo(CopyException.Operation.EXISTS);
              assertThat(e.descriptor()).isEqualTo(image);
            });
  }

  @Test
  void blamesTheSourceForContentThatDoesNotMatchItsDescriptor() throws IOException {
    byte[] real = Fixtures.utf8("real content");
    Descriptor lying = Descriptor.of(MediaTypes.OCI_LAYER, Fixtures.utf8("other content"));
    MemoryStore raw = new MemoryStore();
    dev.stevedore.content.Storage corrupt =
        new dev.stevedore.testing.ForwardingStore(raw) {
          @Override
          public java.io.InputStream fetch(Descriptor target) {
            return new java.io.ByteArrayInputStream(real);
          }
        };

    assertThatThrownBy(
            () -> Copy.copyGraph(corrupt, destinationStore, lying, CopyGraphOptions.defaults()))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.SOURCE);
              assertThat(e.operation()).isEqualTo(CopyException.Operation.FETCH);
            });
    assertThat(destinationStore.exists(lying)).isFalse();
  }

  @Test
  void pushesNoParentOfAFailedNode() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    destination.intercept(
        (op, desc) -> {
          if (op.equals("push") && desc.digest().equals(graph.base().digest())) {
            throw new IOException("refused");
          }
        });

    assertThatThrownBy(() -> copyGraph(graph.index())).isInstanceOf(CopyException.class);

    for (Descriptor manifest : graph.manifests()) {
      assertThat(destinationStore.exists(manifest)).isFalse();
    }
    assertThat(destinationStore.exists(graph.index())).isFalse();
  }

  @Test
  void firstFailureCancelsTransfersInFlight() throws IOException {
    Descriptor slow = Graphs.blob(sourceStore, "slow");
    Descriptor failing = Graphs.blob(sourceStore, "failing");
    Descriptor config =
        Fixtures.push(sourceStore, MediaTypes.EMPTY_JSON, MediaTypes.emptyJsonBytes());
    Descriptor image =
        Fixtures.pushManifest(sourceStore, null, config, List.of(slow, failing), null, Map.of());
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean slowInterrupted = new AtomicBoolean();
    source.intercept(
        (op, desc) -> {
          if (!op.equals("fetch")) {
            return;
          }
          if (desc.digest().equals(slow.digest())) {
            slowStarted.countDown();
            try {
              never.await();
            } catch (InterruptedException e) {
              slowInterrupted.set(true);
              throw new InterruptedIOException("interrupted");
            }
          } else if (desc.digest().equals(failing.digest())) {
            await(slowStarted, 10);
            throw new IOException("boom");
          }
        });

    assertThatThrownBy(
            () ->
                Copy.copyGraph(
                    source, destination, image, CopyGraphOptions.defaults().withConcurrency(4)))
        .isInstanceOfSatisfying(
            CopyException.class, e -> assertThat(e.descriptor()).isEqualTo(failing))
        .hasMessageContaining("boom");
    assertThat(slowInterrupted).isTrue();
    assertThat(destinationStore.exists(image)).isFalse();
  }

  @Test
  void interruptingTheCallerStopsTheCopyPromptly() throws Exception {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean fetchInterrupted = new AtomicBoolean();
    source.intercept(
        (op, desc) -> {
          if (op.equals("fetch") && desc.mediaType().equals(MediaTypes.OCI_LAYER)) {
            blocked.countDown();
            try {
              never.await();
            } catch (InterruptedException e) {
              fetchInterrupted.set(true);
              throw new InterruptedIOException("interrupted");
            }
          }
        });
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean interruptStatus = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                copyGraph(image);
              } catch (Throwable t) {
                thrown.set(t);
              }
              interruptStatus.set(Thread.currentThread().isInterrupted());
            });
    caller.start();
    await(blocked, 10);

    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
    assertThat(interruptStatus).isTrue();
    assertThat(fetchInterrupted).isTrue();
    assertThat(destinationStore.exists(image)).isFalse();
  }

  @Test
  void fetchesAManifestOnceToFindItsSuccessorsAndToPushIt() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);

    copyGraph(graph.index());

    assertThat(source.count("fetch", graph.index())).isEqualTo(1);
    for (Descriptor manifest : graph.manifests()) {
      assertThat(source.count("fetch", manifest)).isEqualTo(1);
    }
  }

  @Test
  void refusesAManifestLargerThanTheMetadataLimitWithoutReadingIt() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 3);

    Throwable thrown =
        catchThrowable(
            () ->
                Copy.copyGraph(
                    source,
                    destination,
                    image,
                    CopyGraphOptions.defaults().withMaxMetadataBytes(image.size() - 1)));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.SOURCE);
              assertThat(e.descriptor()).isEqualTo(image);
            });
    assertThat(ContentException.is(thrown, SizeLimitExceededException.class)).isTrue();
    assertThat(source.count("fetch", image)).isZero();
  }

  @Test
  void copiesCorrectlyWhenTheMetadataCacheIsTooSmallToHoldEveryManifest() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);

    Copy.copyGraph(
        source,
        destination,
        graph.index(),
        CopyGraphOptions.defaults().withMaxMetadataBytes(graph.index().size() + 1));

    assertCopied(graph.index());
    assertThat(destination.violations()).isEmpty();
  }

  @Test
  void doesNotCopyForeignOrNonDistributableLayers() throws IOException {
    Descriptor config =
        Fixtures.push(sourceStore, MediaTypes.EMPTY_JSON, MediaTypes.emptyJsonBytes());
    Descriptor normal = Graphs.blob(sourceStore, "normal");
    Descriptor foreign =
        Descriptor.of(MediaTypes.DOCKER_FOREIGN_LAYER, Fixtures.utf8("windows base"));
    Descriptor nondistributable =
        Descriptor.of(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP, Fixtures.utf8("nd"));
    Descriptor image =
        Fixtures.pushManifest(
            sourceStore, null, config, List.of(foreign, nondistributable, normal), null, Map.of());

    copyGraph(image);

    assertThat(destinationStore.exists(image)).isTrue();
    assertThat(destinationStore.exists(normal)).isTrue();
    assertThat(source.count("fetch", foreign)).isZero();
    assertThat(source.count("fetch", nondistributable)).isZero();
    assertThat(destination.count("exists", foreign)).isZero();
  }

  @Test
  void preCopySkipLeavesTheNodeAloneAndLetsItsParentsProceed() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 2);
    Descriptor skippedLayer = Graphs.blob(sourceStore, "img-layer-0");
    List<Descriptor> postCopied = Collections.synchronizedList(new ArrayList<>());

    Copy.copyGraph(
        source,
        destination,
        image,
        CopyGraphOptions.defaults()
            .withPreCopy(
                d ->
                    d.digest().equals(skippedLayer.digest())
                        ? PreCopyDecision.SKIP
                        : PreCopyDecision.COPY)
            .withPostCopy(postCopied::add));

    assertThat(destinationStore.exists(image)).isTrue();
    assertThat(destination.count("push", skippedLayer)).isZero();
    assertThat(postCopied)
        .extracting(Descriptor::key)
        .doesNotContain(skippedLayer.key())
        .contains(image.key());
  }

  @Test
  void preCopySkipMeansTheNodeIsNotPushed() throws IOException {
    Descriptor blob = Graphs.blob(sourceStore, "blob");
    List<Descriptor> postCopied = Collections.synchronizedList(new ArrayList<>());

    Copy.copyGraph(
        source,
        destination,
        blob,
        CopyGraphOptions.defaults()
            .withPreCopy(d -> PreCopyDecision.SKIP)
            .withPostCopy(postCopied::add));

    assertThat(destination.total("push")).isZero();
    assertThat(source.total("fetch")).isZero();
    assertThat(postCopied).isEmpty();
  }

  @Test
  void callsPreCopyAndPostCopyOncePerCopiedNode() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    List<Descriptor> pre = Collections.synchronizedList(new ArrayList<>());
    List<Descriptor> post = Collections.synchronizedList(new ArrayList<>());

    Copy.copyGraph(
        source,
        destination,
        graph.index(),
        CopyGraphOptions.defaults()
            .withPreCopy(
                d -> {
                  pre.add(d);
                  return PreCopyDecision.COPY;
                })
            .withPostCopy(post::add));

    assertThat(pre).hasSize(destination.total("push")).doesNotHaveDuplicates();
    assertThat(post)
        .extracting(Descriptor::key)
        .containsExactlyInAnyOrderElementsOf(pre.stream().map(Descriptor::key).toList());
  }

  @Test
  void hookFailuresReachTheCallerUnchanged() throws IOException {
    Descriptor blob = Graphs.blob(sourceStore, "blob");
    IOException mine = new IOException("mine");

    Throwable thrown =
        catchThrowable(
            () ->
                Copy.copyGraph(
                    source,
                    destination,
                    blob,
                    CopyGraphOptions.defaults()
                        .withPostCopy(
                            d -> {
                              throw mine;
                            })));

    assertThat(thrown).isSameAs(mine);
  }

  @Test
  void usesTheSuccessorLookupOverride() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 2);
    Descriptor extra = Graphs.blob(sourceStore, "extra");

    Copy.copyGraph(
        source,
        destination,
        image,
        CopyGraphOptions.defaults()
            .withFindSuccessors(
                (fetcher, node) -> {
                  List<Descriptor> found =
                      new ArrayList<>(
                          dev.stevedore.content.Successors.find(fetcher, node, 1 << 20));
                  if (node.equals(image)) {
                    found.add(extra);
                  }
                  return found;
                }));

    assertThat(destinationStore.exists(extra)).isTrue();
    assertCopied(image);
  }

  @Test
  void failsInsteadOfHangingWhenACustomLookupMakesACycle() throws IOException {
    Descriptor a = Graphs.blob(sourceStore, "a");
    Descriptor b = Graphs.blob(sourceStore, "b");

    assertThatThrownBy(
            () ->
                Copy.copyGraph(
                    source,
                    destination,
                    a,
                    CopyGraphOptions.defaults()
                        .withFindSuccessors((fetcher, node) -> List.of(node.equals(a) ? b : a))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void reportsProgressPerNode() throws IOException {
    byte[] big = Fixtures.randomBytes(200_000, 7);
    Descriptor layer = Fixtures.pushBlob(sourceStore, MediaTypes.OCI_LAYER, big);
    Descriptor image = Fixtures.pushImage(sourceStore, List.of(layer));
    RecordingListener listener = new RecordingListener();

    Copy.copyGraph(source, destination, image, CopyGraphOptions.defaults().withListener(listener));

    assertThat(listener.events)
        .contains(
            "started " + layer.digest(),
            "done " + layer.digest(),
            "started " + image.digest(),
            "done " + image.digest());
    assertThat(listener.lastTransferred.get(layer.digest().toString())).isEqualTo(big.length);
    assertThat(listener.transferCalls.get()).isGreaterThan(1);
    assertThat(listener.events.indexOf("done " + layer.digest()))
        .isLessThan(listener.events.indexOf("started " + image.digest()));
  }

  @Test
  void reportsSkippedNodesToTheListener() throws IOException {
    Descriptor blob = Graphs.blob(sourceStore, "blob");
    Fixtures.push(destinationStore, blob, Fixtures.utf8("blob"));
    RecordingListener listener = new RecordingListener();

    Copy.copyGraph(source, destination, blob, CopyGraphOptions.defaults().withListener(listener));

    assertThat(listener.events).containsExactly("skipped " + blob.digest());
  }

  static void await(CountDownLatch latch, int seconds) throws IOException {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  static final class RecordingListener implements CopyListener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Long> lastTransferred = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicInteger transferCalls =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void nodeStarted(Descriptor node) {
      events.add("started " + node.digest());
    }

    @Override
    public void bytesTransferred(Descriptor node, long transferred) {
      transferCalls.incrementAndGet();
      lastTransferred.put(node.digest().toString(), transferred);
    }

    @Override
    public void nodeDone(Descriptor node) {
      events.add("done " + node.digest());
    }

    @Override
    public void nodeSkipped(Descriptor node) {
      events.add("skipped " + node.digest());
    }

    @Override
    public void nodeMounted(Descriptor node, String fromRepository) {
      events.add("mounted " + node.digest() + " from " + fromRepository);
    }
  }
}
