package dev.stevedore.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.PageConsumer;
import dev.stevedore.content.ReferrerLister;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExtendedCopyTest {
  private static final String SIGNATURE = "application/vnd.example.signature";
  private static final String SBOM = "application/vnd.example.sbom";

  private final MemoryStore sourceStore = new MemoryStore();
  private final MemoryStore destinationStore = new MemoryStore();
  private final InstrumentedStore source = new InstrumentedStore(sourceStore);
  private final InstrumentedStore destination = new InstrumentedStore(destinationStore);

  private final Descriptor image;
  private final Descriptor signature;
  private final Descriptor signatureOfSignature;
  private final Descriptor sbom;

  ExtendedCopyTest() throws IOException {
    image = Graphs.image(sourceStore, "img", 2);
    sourceStore.tag(image, "v1");
    signature =
        Fixtures.pushReferrer(sourceStore, image, SIGNATURE, Fixtures.utf8("signature of image"));
    signatureOfSignature =
        Fixtures.pushReferrer(
            sourceStore, signature, SIGNATURE, Fixtures.utf8("signature of signature"));
    Descriptor config =
        Fixtures.push(sourceStore, MediaTypes.EMPTY_JSON, MediaTypes.emptyJsonBytes());
    Descriptor sbomLayer = Graphs.blob(sourceStore, "sbom content");
    sbom =
        Fixtures.pushManifest(
            sourceStore,
            SBOM,
            config,
            List.of(sbomLayer),
            image.plain(),
            Map.of("purpose", "audit"));
  }

  @Test
  void copiesAnArtifactWithItsReferrersTransitively() throws IOException {
    Descriptor node =
        Copy.extendedCopy(source, "v1", destination, "v1", ExtendedCopyOptions.defaults());

    assertThat(node).isEqualTo(image);
    assertThat(destinationStore.resolve("v1").key()).isEqualTo(image.key());
    for (Descriptor d : List.of(image, signature, signatureOfSignature, sbom)) {
      assertThat(destinationStore.exists(d)).as(d.toString()).isTrue();
    }
    assertThat(destination.count("push", image)).isEqualTo(1);
    assertThat(destination.count("push", MediaTypes.EMPTY_JSON)).isEqualTo(1);
  }

  @Test
  void stopsAtTheDepthLimit() throws IOException {
    Copy.extendedCopy(source, "v1", destination, "", ExtendedCopyOptions.defaults().withDepth(1));

    assertThat(destinationStore.exists(signature)).isTrue();
    assertThat(destinationStore.exists(sbom)).isTrue();
    assertThat(destinationStore.exists(signatureOfSignature)).isFalse();
  }

  @Test
  void keepsOnlyPredecessorsOfAMatchingArtifactType() throws IOException {
    Copy.extendedCopy(
        source,
        "v1",
        destination,
        "",
        ExtendedCopyOptions.defaults().filterArtifactType(Pattern.compile("signature$")));

    assertThat(destinationStore.exists(signature)).isTrue();
    assertThat(destinationStore.exists(signatureOfSignature)).isTrue();
    assertThat(destinationStore.exists(sbom)).isFalse();
  }

  @Test
  void readsTheArtifactTypeFromTheManifestWhenTheDescriptorLacksIt() throws IOException {
    ExtendedCopyOptions options =
        ExtendedCopyOptions.defaults()
            .withFindPredecessors(
                (src, node) ->
                    src.predecessors(node).stream().map(d -> d.withArtifactType(null)).toList())
            .filterArtifactType(Pattern.compile("sbom"));

    Copy.extendedCopy(source, "v1", destination, "", options);

    assertThat(destinationStore.exists(sbom)).isTrue();
    assertThat(destinationStore.exists(signature)).isFalse();
    assertThat(source.count("fetch", signature)).isEqualTo(1);
  }

  @Test
  void keepsOnlyPredecessorsWithAMatchingAnnotation() throws IOException {
    Copy.extendedCopy(
        source,
        "v1",
        destination,
        "",
        ExtendedCopyOptions.defaults().filterAnnotation("purpose", Pattern.compile("^audit$")));

    assertThat(destinationStore.exists(sbom)).isTrue();
    assertThat(destinationStore.exists(signature)).isFalse();
    assertThat(destinationStore.exists(image)).isTrue();
  }

  @Test
  void keepsPredecessorsThatHaveTheAnnotationKeyWhenThePatternIsNull() throws IOException {
    Copy.extendedCopy(
        source,
        "v1",
        destination,
        "",
        ExtendedCopyOptions.defaults().filterAnnotation("purpose", null));

    assertThat(destinationStore.exists(sbom)).isTrue();
    assertThat(destinationStore.exists(signature)).isFalse();
  }

  @Test
  void filtersTheReferrersListingOfASourceThatHasOne() throws IOException {
    ReferrerStore referrers = new ReferrerStore(sourceStore);

    Copy.extendedCopyGraph(
        referrers,
        destination,
        image,
        ExtendedCopyOptions.defaults().filterArtifactType(Pattern.compile("sbom")));

    assertThat(destinationStore.exists(sbom)).isTrue();
    assertThat(destinationStore.exists(signature)).isFalse();
    assertThat(referrers.total("referrers")).isPositive();
    assertThat(referrers.total("predecessors")).isZero();
  }

  @Test
  void usesACustomPredecessorLookup() throws IOException {
    Copy.extendedCopyGraph(
        source,
        destination,
        image,
        ExtendedCopyOptions.defaults()
            .withFindPredecessors(
                (src, node) -> node.key().equals(image.key()) ? List.of(sbom) : List.of()));

    assertThat(destinationStore.exists(sbom)).isTrue();
    assertThat(destinationStore.exists(signature)).isFalse();
  }

  @Test
  void copiesANodeWithoutPredecessorsAlone() throws IOException {
    Copy.extendedCopyGraph(
        source, destination, signatureOfSignature, ExtendedCopyOptions.defaults());

    assertThat(destinationStore.exists(signatureOfSignature)).isTrue();
    assertThat(destinationStore.exists(signature)).isTrue();
    assertThat(destinationStore.exists(sbom)).isFalse();
  }

  @Test
  void reportsAPredecessorLookupFailureAsASourceFailure() {
    source.intercept(
        (op, desc) -> {
          if (op.equals("predecessors")) {
            throw new IOException("referrers API unavailable");
          }
        });

    assertThatThrownBy(
            () ->
                Copy.extendedCopyGraph(source, destination, image, ExtendedCopyOptions.defaults()))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.SOURCE);
              assertThat(e.operation()).isEqualTo(CopyException.Operation.PREDECESSORS);
              assertThat(e.descriptor()).isEqualTo(image);
            });
    assertThat(destination.total("push")).isZero();
  }

  /** A source with a referrers listing (manifests whose subject is the node). */
  static final class ReferrerStore extends InstrumentedStore implements ReferrerLister {
    private final MemoryStore store;

    ReferrerStore(MemoryStore store) {
      super(store);
      this.store = store;
    }

    @Override
    public void referrers(
        Descriptor subject, @Nullable String artifactType, PageConsumer<Descriptor> consumer)
        throws IOException {
      recordCall("referrers", subject);
      List<Descriptor> page = new ArrayList<>();
      for (Descriptor p : store.predecessors(subject)) {
        Manifest m = Manifest.parse(Contents.fetchAll(store, p, 1 << 20));
        if (m.subject() != null && m.subject().key().equals(subject.key())) {
          page.add(p.withAnnotations(m.annotations()));
        }
      }
      consumer.accept(page);
    }
  }
}
