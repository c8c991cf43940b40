package dev.stevedore.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.ContentSupplier;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.Mounter;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.ReferenceFetcher;
import dev.stevedore.content.ReferencePusher;
import dev.stevedore.content.Successors;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CopyTest {
  private final MemoryStore sourceStore = new MemoryStore();
  private final MemoryStore destinationStore = new MemoryStore();
  private final InstrumentedStore source = new InstrumentedStore(sourceStore);
  private final InstrumentedStore destination = new InstrumentedStore(destinationStore);

  @Test
  void copiesATaggedArtifactAndTagsTheRootInTheDestination() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 2);
    sourceStore.tag(image, "v1");

    Descriptor root = Copy.copy(source, "v1", destination, "release", CopyOptions.defaults());

    assertThat(root).isEqualTo(image);
    assertThat(destinationStore.resolve("release").key()).isEqualTo(image.key());
  }

  @Test
  void usesTheSourceReferenceWhenTheDestinationReferenceIsEmpty() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    sourceStore.tag(image, "v1");

    Copy.copy(source, "v1", destination, "", CopyOptions.defaults());

    assertThat(destinationStore.resolve("v1").key()).isEqualTo(image.key());
  }

  @Test
  void tagsTheRootOnlyAfterTheWholeGraphIsIn() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    sourceStore.tag(graph.index(), "v1");
    List<String> missingAtTagTime = Collections.synchronizedList(new ArrayList<>());
    destination.intercept(
        (op, desc) -> {
          if (op.equals("tag")) {
            collectMissing(desc, missingAtTagTime);
          }
        });

    Copy.copy(source, "v1", destination, "v1", CopyOptions.defaults());

    assertThat(destination.total("tag")).isEqualTo(1);
    assertThat(missingAtTagTime).isEmpty();
  }

  @Test
  void tagsTheRootEvenWhenItIsAlreadyThere() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    sourceStore.tag(image, "v1");
    Copy.copyGraph(sourceStore, destinationStore, image, CopyGraphOptions.defaults());

    Copy.copy(source, "v1", destination, "v2", CopyOptions.defaults());

    assertThat(destinationStore.resolve("v2").key()).isEqualTo(image.key());
    assertThat(destination.total("push")).isZero();
  }

  @Test
  void reportsAReferenceMissingFromTheSourceAsASourceResolveFailure() {
    assertThatThrownBy(() -> Copy.copy(source, "nope", destination, "", CopyOptions.defaults()))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.SOURCE);
              assertThat(e.operation()).isEqualTo(CopyException.Operation.RESOLVE);
              assertThat(e.descriptor()).isNull();
              assertThat(ContentException.is(e, NotFoundException.class)).isTrue();
            })
        .hasMessageContaining("nope");
  }

  @Test
  void reportsATagFailureAsADestinationTagFailure() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    sourceStore.tag(image, "v1");
    destination.intercept(
        (op, desc) -> {
          if (op.equals("tag")) {
            throw new IOException("read-only");
          }
        });

    assertThatThrownBy(() -> Copy.copy(source, "v1", destination, "", CopyOptions.defaults()))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.DESTINATION);
              assertThat(e.operation()).isEqualTo(CopyException.Operation.TAG);
              assertThat(e.descriptor()).isEqualTo(image);
            });
  }

  @Test
  void selectsTheMatchingManifestOfAnIndex() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    sourceStore.tag(graph.index(), "v1");

    Descriptor root =
        Copy.copy(
            source,
            "v1",
            destination,
            "arm",
            CopyOptions.defaults().withTargetPlatform(Graphs.ARM64));

    assertThat(root.key()).isEqualTo(graph.manifests().get(1).key());
    assertThat(destinationStore.resolve("arm").key()).isEqualTo(root.key());
    assertThat(destinationStore.exists(graph.index())).isFalse();
    assertThat(destinationStore.exists(graph.manifests().get(0))).isFalse();
  }

  @Test
  void keepsAManifestWhosePlatformMatches() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    Descriptor amd = graph.manifests().get(0).withPlatform(null);
    sourceStore.tag(amd, "amd");

    Descriptor root =
        Copy.copy(
            source,
            "amd",
            destination,
            "",
            CopyOptions.defaults().withTargetPlatform(Graphs.AMD64));

    assertThat(root.key()).isEqualTo(amd.key());
    assertThat(destinationStore.exists(amd)).isTrue();
  }

  @Test
  void failsWithNotFoundWhenNoManifestMatchesThePlatform() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    sourceStore.tag(graph.index(), "v1");

    assertThatThrownBy(
            () ->
                Copy.copy(
                    source,
                    "v1",
                    destination,
                    "",
                    CopyOptions.defaults()
                        .withTargetPlatform(dev.stevedore.content.Platform.of("windows", "amd64"))))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.operation()).isEqualTo(CopyException.Operation.MAP_ROOT);
              assertThat(ContentException.is(e, NotFoundException.class)).isTrue();
            });
    assertThat(destination.total("push")).isZero();
  }

  @Test
  void failsWithUnsupportedWhenTheRootIsNeitherIndexNorManifest() throws IOException {
    Descriptor blob = Graphs.blob(sourceStore, "blob");
    sourceStore.tag(blob, "blob");

    assertThatThrownBy(
            () ->
                Copy.copy(
                    source,
                    "blob",
                    destination,
                    "",
                    CopyOptions.defaults().withTargetPlatform(Graphs.AMD64)))
        .satisfies(
            e -> assertThat(ContentException.is(e, UnsupportedContentException.class)).isTrue());
  }

  @Test
  void selectsThePlatformAfterACustomRootMapping() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    Descriptor other = Graphs.blob(sourceStore, "something else");
    sourceStore.tag(other, "v1");

    Descriptor root =
        Copy.copy(
            source,
            "v1",
            destination,
            "",
            CopyOptions.defaults()
                .withMapRoot((src, r) -> graph.index())
                .withTargetPlatform(Graphs.S390X));

    assertThat(root.key()).isEqualTo(graph.manifests().get(2).key());
  }

  @Test
  void fetchesWhatPlatformSelectionReadOnlyOnce() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    Descriptor amd = graph.manifests().get(0).withPlatform(null);
    sourceStore.tag(amd, "amd");
    Descriptor config =
        dev.stevedore.content.Manifest.parse(Contents.fetchAll(sourceStore, amd, 1 << 20)).config();

    Copy.copy(
        source, "amd", destination, "", CopyOptions.defaults().withTargetPlatform(Graphs.AMD64));

    // selection read the manifest and its config; the copy reused both from the metadata cache
    assertThat(source.count("fetch", amd)).isEqualTo(1);
    assertThat(source.count("fetch", config)).isEqualTo(1);
    assertThat(destinationStore.exists(config)).isTrue();
  }

  @Test
  void appliesACustomRootMapping() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    sourceStore.tag(graph.index(), "v1");

    Descriptor root =
        Copy.copy(
            source,
            "v1",
            destination,
            "",
            CopyOptions.defaults().withMapRoot((src, r) -> graph.manifests().get(2)));

    assertThat(root).isEqualTo(graph.manifests().get(2));
    assertThat(destinationStore.resolve("v1").key()).isEqualTo(root.key());
  }

  @Test
  void fetchesTheRootInOneRequestFromAReferenceFetcher() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 2);
    sourceStore.tag(image, "v1");
    ReferenceStore referenceSource = new ReferenceStore(sourceStore);

    Copy.copy(referenceSource, "v1", destination, "", CopyOptions.defaults());

    assertThat(referenceSource.total("fetchReference")).isEqualTo(1);
    assertThat(referenceSource.total("resolve")).isZero();
    assertThat(referenceSource.count("fetch", image)).isZero();
    assertThat(destinationStore.exists(image)).isTrue();
  }

  @Test
  void pushesTheRootUnderItsTagInOneRequestToAReferencePusher() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 2);
    sourceStore.tag(image, "v1");
    ReferenceStore referenceDestination = new ReferenceStore(destinationStore);

    Copy.copy(source, "v1", referenceDestination, "v2", CopyOptions.defaults());

    assertThat(referenceDestination.count("pushReference", image)).isEqualTo(1);
    assertThat(referenceDestination.count("push", image)).isZero();
    assertThat(referenceDestination.total("tag")).isZero();
    assertThat(destinationStore.resolve("v2").key()).isEqualTo(image.key());
  }

  @Test
  void pushesAnExistingRootUnderItsTagInOneRequestToAReferencePusher() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    sourceStore.tag(image, "v1");
    Copy.copyGraph(sourceStore, destinationStore, image, CopyGraphOptions.defaults());
    ReferenceStore both = new ReferenceStore(sourceStore);
    ReferenceStore referenceDestination = new ReferenceStore(destinationStore);

    Copy.copy(both, "v1", referenceDestination, "v2", CopyOptions.defaults());

    assertThat(referenceDestination.count("pushReference", image)).isEqualTo(1);
    assertThat(referenceDestination.total("tag")).isZero();
    assertThat(destinationStore.resolve("v2").key()).isEqualTo(image.key());
  }

  @Test
  void mountsABlobFromTheFirstCandidateThatHasIt() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    Descriptor layer = Graphs.blob(sourceStore, "img-layer-0");
    MemoryStore other = new MemoryStore();
    Fixtures.push(other, layer, Fixtures.utf8("img-layer-0"));
    MountingStore mounting = new MountingStore(destinationStore, Map.of("library/other", other));
    List<Descriptor> mounted = Collections.synchronizedList(new ArrayList<>());
    CopyGraphTest.RecordingListener listener = new CopyGraphTest.RecordingListener();

    Copy.copyGraph(
        source,
        mounting,
        image,
        CopyGraphOptions.defaults()
            .withMountFrom(d -> List.of("library/empty", "library/other"))
            .withOnMounted(mounted::add)
            .withListener(listener));

    assertThat(mounted).containsExactly(layer);
    assertThat(mounting.attempts)
        .contains("library/empty " + layer.digest(), "library/other " + layer.digest());
    assertThat(source.count("fetch", layer)).isZero();
    assertThat(mounting.count("push", layer)).isZero();
    assertThat(listener.lastTransferred).doesNotContainKey(layer.digest().toString());
    assertThat(listener.events).contains("mounted " + layer.digest() + " from library/other");
    assertThat(destinationStore.exists(layer)).isTrue();
    assertThat(destinationStore.exists(image)).isTrue();
  }

  @Test
  void copiesTheBlobWhenEveryMountFails() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    Descriptor layer = Graphs.blob(sourceStore, "img-layer-0");
    MountingStore mounting = new MountingStore(destinationStore, Map.of());
    List<Descriptor> mounted = Collections.synchronizedList(new ArrayList<>());

    Copy.copyGraph(
        source,
        mounting,
        image,
        CopyGraphOptions.defaults()
            .withMountFrom(d -> List.of("a", "b"))
            .withOnMounted(mounted::add));

    assertThat(mounted).isEmpty();
    assertThat(mounting.attempts).contains("a " + layer.digest(), "b " + layer.digest());
    assertThat(mounting.count("push", layer)).isEqualTo(1);
    assertThat(destinationStore.exists(image)).isTrue();
  }

  @Test
  void uploadsIntoTheSessionOfTheLastDeclinedMountAsACopy() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    Descriptor layer = Graphs.blob(sourceStore, "img-layer-0");
    MountingStore mounting = new MountingStore(destinationStore, Map.of(), true);
    List<Descriptor> mounted = Collections.synchronizedList(new ArrayList<>());
    List<Descriptor> copied = Collections.synchronizedList(new ArrayList<>());
    CopyGraphTest.RecordingListener listener = new CopyGraphTest.RecordingListener();

    Copy.copyGraph(
        source,
        mounting,
        image,
        CopyGraphOptions.defaults()
            .withMountFrom(d -> List.of("a", "b"))
            .withOnMounted(mounted::add)
            .withPostCopy(copied::add)
            .withListener(listener));

    // only the last candidate carries the content, and its session takes the upload: no new push
    assertThat(mounting.attempts).contains("a " + layer.digest(), "b " + layer.digest());
    assertThat(mounting.offered).contains("b " + layer.digest());
    assertThat(mounting.offered).doesNotContain("a " + layer.digest());
    assertThat(mounting.count("push", layer)).isZero();
    assertThat(source.count("fetch", layer)).isEqualTo(1);
    assertThat(destinationStore.exists(layer)).isTrue();
    assertThat(destinationStore.exists(image)).isTrue();
    // reported as the copy it is, not as a mount
    assertThat(mounted).isEmpty();
    assertThat(copied).contains(layer);
    assertThat(listener.events)
        .contains("started " + layer.digest(), "done " + layer.digest())
        .noneMatch(e -> e.startsWith("mounted " + layer.digest()));
    assertThat(listener.lastTransferred).containsEntry(layer.digest().toString(), layer.size());
  }

  @Test
  void theUploadOfADeclinedMountSendsBytesTheCopyAlreadyRead() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    Descriptor layer = Graphs.blob(sourceStore, "img-layer-0");
    MountingStore mounting = new MountingStore(destinationStore, Map.of(), true);

    Copy.copyGraph(
        source,
        mounting,
        image,
        CopyGraphOptions.defaults()
            .withMountFrom(d -> List.of("a"))
            .withFindSuccessors(
                (fetcher, node) -> {
                  if (node.equals(layer)) {
                    // read through the metadata cache, as a lookup that inspects blobs does
                    try (InputStream in = fetcher.fetch(layer)) {
                      in.readAllBytes();
                    }
                    return List.of();
                  }
                  return dev.stevedore.content.Successors.find(fetcher, node, 1 << 20);
                }));

    assertThat(mounting.offered).contains("a " + layer.digest());
    assertThat(source.count("fetch", layer)).isEqualTo(1);
    assertThat(destinationStore.exists(layer)).isTrue();
  }

  @Test
  void thePreCopyHookCanSkipTheUploadOfADeclinedMount() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    Descriptor layer = Graphs.blob(sourceStore, "img-layer-0");
    MountingStore mounting = new MountingStore(destinationStore, Map.of(), true);
    CopyGraphTest.RecordingListener listener = new CopyGraphTest.RecordingListener();

    Copy.copyGraph(
        source,
        mounting,
        image,
        CopyGraphOptions.defaults()
            .withMountFrom(d -> List.of("a"))
            .withPreCopy(d -> d.equals(layer) ? PreCopyDecision.SKIP : PreCopyDecision.COPY)
            .withListener(listener));

    assertThat(mounting.offered).contains("a " + layer.digest());
    assertThat(source.count("fetch", layer)).isZero();
    assertThat(destinationStore.exists(layer)).isFalse();
    assertThat(listener.events)
        .contains("done " + layer.digest())
        .doesNotContain("started " + layer.digest());
  }

  @Test
  void contentThatDoesNotMatchInTheUploadOfADeclinedMountIsBlamedOnTheSource() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    Descriptor layer = Graphs.blob(sourceStore, "img-layer-0");
    dev.stevedore.content.Storage lying =
        new dev.stevedore.testing.ForwardingStore(sourceStore) {
          @Override
          public InputStream fetch(Descriptor target) throws IOException {
            if (target.equals(layer)) {
              return new ByteArrayInputStream(Fixtures.utf8("img-layer-X"));
            }
            return super.fetch(target);
          }
        };
    MountingStore mounting = new MountingStore(destinationStore, Map.of(), true);

    assertThatThrownBy(
            () ->
                Copy.copyGraph(
                    lying,
                    mounting,
                    image,
                    CopyGraphOptions.defaults().withMountFrom(d -> List.of("a"))))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.SOURCE);
              assertThat(e.operation()).isEqualTo(CopyException.Operation.FETCH);
              assertThat(e.descriptor()).isEqualTo(layer);
            });
    assertThat(mounting.offered).contains("a " + layer.digest());
    assertThat(destinationStore.exists(layer)).isFalse();
    assertThat(destinationStore.exists(image)).isFalse();
  }

  @Test
  void neverMountsManifests() throws IOException {
    Descriptor image = Graphs.image(sourceStore, "img", 1);
    MountingStore mounting = new MountingStore(destinationStore, Map.of());

    Copy.copyGraph(
        source, mounting, image, CopyGraphOptions.defaults().withMountFrom(d -> List.of("a")));

    assertThat(mounting.attempts).noneMatch(a -> a.endsWith(image.digest().toString()));
  }

  @Test
  void healsChildManifestsWhoseBlobsTheDestinationLostAndRetriesThePush() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    Descriptor broken = graph.manifests().get(0);
    // an earlier copy was interrupted after the destination recorded this manifest, not its blobs
    Fixtures.push(
        destinationStore,
        broken.withPlatform(null),
        Contents.fetchAll(sourceStore, broken, 1 << 20));
    StrictStore strict = new StrictStore(destinationStore);

    Copy.copyGraph(source, strict, graph.index(), CopyGraphOptions.defaults());

    assertThat(strict.count("attempt", graph.index())).isEqualTo(2);
    for (Descriptor child : Successors.find(sourceStore, broken, 1 << 20)) {
      assertThat(destinationStore.exists(child)).isTrue();
    }
    assertThat(destinationStore.exists(graph.index())).isTrue();
  }

  @Test
  void retriesAHealedPushOnlyOnce() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(sourceStore);
    destination.intercept(
        (op, desc) -> {
          if (op.equals("push") && desc.key().equals(graph.index().key())) {
            throw new NotFoundException("MANIFEST_UNKNOWN: manifest unknown to registry");
          }
        });

    assertThatThrownBy(
            () -> Copy.copyGraph(source, destination, graph.index(), CopyGraphOptions.defaults()))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.DESTINATION);
              assertThat(e.operation()).isEqualTo(CopyException.Operation.PUSH);
              assertThat(e.descriptor()).isEqualTo(graph.index());
              assertThat(ContentException.is(e, NotFoundException.class)).isTrue();
            });
    assertThat(destination.count("push", graph.index())).isEqualTo(2);
  }

  private void collectMissing(Descriptor node, List<String> missing) throws IOException {
    if (!destinationStore.exists(node)) {
      missing.add(node.digest().toString());
      return;
    }
    for (Descriptor child : Successors.find(destinationStore, node, 1 << 20)) {
      collectMissing(child, missing);
    }
  }

  /** A store that resolves and fetches, and pushes and tags, in one request each. */
  static final class ReferenceStore extends InstrumentedStore
      implements ReferenceFetcher, ReferencePusher {
    private final MemoryStore store;

    ReferenceStore(MemoryStore store) {
      super(store);
      this.store = store;
    }

    @Override
    public FetchedReference fetchReference(String reference) throws IOException {
      Descriptor desc = store.resolve(reference);
      recordCall("fetchReference", desc);
      return new FetchedReference(desc, store.fetch(desc));
    }

    @Override
    public void pushReference(Descriptor expected, InputStream content, String reference)
        throws IOException {
      recordCall("pushReference", expected);
      try {
        store.push(expected, content);
      } catch (AlreadyExistsException e) {
        // a registry overwrites; so do we
      }
      store.tag(expected, reference);
    }
  }

  /** A store of a registry with other repositories that blobs can be mounted from. */
  static final class MountingStore extends InstrumentedStore implements Mounter {
    final List<String> attempts = Collections.synchronizedList(new ArrayList<>());

    /** The attempts that came with content for an upload after a declined mount. */
    final List<String> offered = Collections.synchronizedList(new ArrayList<>());

    private final MemoryStore store;
    private final Map<String, MemoryStore> repositories;
    private final boolean declines;

    /** A registry that fails a mount of a blob the repository does not have (an error answer). */
    MountingStore(MemoryStore store, Map<String, MemoryStore> repositories) {
      this(store, repositories, false);
    }

    /**
     * With {@code declines}, a registry that answers a mount of a blob the repository does not have
     * as the distribution spec says (202, an upload session): the blob is uploaded into that
     * session from the given content, and without content the mount fails as declined.
     */
    MountingStore(MemoryStore store, Map<String, MemoryStore> repositories, boolean declines) {
      super(store);
      this.store = store;
      this.repositories = repositories;
      this.declines = declines;
    }

    @Override
    public void mount(Descriptor desc, String fromRepository, @Nullable ContentSupplier content)
        throws IOException {
      attempts.add(fromRepository + " " + desc.digest());
      if (content != null) {
        offered.add(fromRepository + " " + desc.digest());
      }
      MemoryStore from = repositories.get(fromRepository);
      if (from != null && from.exists(desc)) {
        try (InputStream in = from.fetch(desc)) {
          store.push(desc, in);
        }
        return;
      }
      if (!declines) {
        throw new NotFoundException(desc.digest() + ": not in " + fromRepository);
      }
      if (content == null) {
        throw new ContentException("the registry declined the mount of " + desc.digest());
      }
      try (InputStream in = content.open()) {
        store.push(desc, in);
      }
    }
  }

  /**
   * A destination that, as a registry does, refuses a manifest when content it refers to is
   * missing, looking through child manifests it holds.
   */
  static final class StrictStore extends InstrumentedStore {
    private final MemoryStore store;

    StrictStore(MemoryStore store) {
      super(store);
      this.store = store;
    }

    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
      recordCall("attempt", expected);
      byte[] bytes = Contents.readAll(content, expected, Long.MAX_VALUE);
      if (Successors.mayHaveSuccessors(expected.mediaType())) {
        for (Descriptor child : Successors.parse(expected, bytes)) {
          requireDeep(child);
        }
      }
      super.push(expected, new ByteArrayInputStream(bytes));
    }

    private void requireDeep(Descriptor node) throws IOException {
      if (!store.exists(node)) {
        throw new NotFoundException(
            "MANIFEST_BLOB_UNKNOWN: " + node.digest() + " is unknown to the registry");
      }
      for (Descriptor child : Successors.find(store, node, 1 << 20)) {
        requireDeep(child);
      }
    }
  }
}
