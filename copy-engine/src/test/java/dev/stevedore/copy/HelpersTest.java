package dev.stevedore.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.Fixtures;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HelpersTest {
  private final MemoryStore store = new MemoryStore();
  private final InstrumentedStore counted = new InstrumentedStore(store);

  @Test
  void resolvesAReference() throws IOException {
    Descriptor image = Graphs.image(store, "img", 1);
    store.tag(image, "v1");

    assertThat(Copy.resolve(store, "v1", ResolveOptions.defaults())).isEqualTo(image);
  }

  @Test
  void resolvesAReferenceToTheManifestOfATargetPlatform() throws IOException {
    Graphs.MultiPlatform graph = Graphs.multiPlatform(store);
    store.tag(graph.index(), "v1");

    Descriptor resolved =
        Copy.resolve(store, "v1", ResolveOptions.defaults().withTargetPlatform(Graphs.S390X));

    assertThat(resolved.key()).isEqualTo(graph.manifests().get(2).key());
  }

  @Test
  void fetchesAReference() throws IOException {
    Descriptor blob = Graphs.blob(store, "hello");
    store.tag(blob, "greeting");

    try (FetchedReference fetched = Copy.fetch(store, "greeting", ResolveOptions.defaults())) {
      assertThat(fetched.descriptor()).isEqualTo(blob);
      assertThat(fetched.content().readAllBytes()).isEqualTo(Fixtures.utf8("hello"));
    }
  }

  @Test
  void fetchesThroughAReferenceFetcherInOneRequest() throws IOException {
    Descriptor blob = Graphs.blob(store, "hello");
    store.tag(blob, "greeting");
    CopyTest.ReferenceStore references = new CopyTest.ReferenceStore(store);

    try (FetchedReference fetched = Copy.fetch(references, "greeting", ResolveOptions.defaults())) {
      assertThat(fetched.content().readAllBytes()).isEqualTo(Fixtures.utf8("hello"));
    }
    assertThat(references.total("fetchReference")).isEqualTo(1);
    assertThat(references.total("resolve")).isZero();
  }

  @Test
  void fetchesBytes() throws IOException {
    Descriptor blob = Graphs.blob(store, "hello");
    store.tag(blob, "greeting");

    FetchedBytes fetched = Copy.fetchBytes(store, "greeting", FetchBytesOptions.defaults());

    assertThat(fetched.descriptor()).isEqualTo(blob);
    assertThat(fetched.content()).isEqualTo(Fixtures.utf8("hello"));
  }

  @Test
  void refusesToFetchMoreBytesThanTheLimit() throws IOException {
    Descriptor blob = Graphs.blob(store, "hello");
    store.tag(blob, "greeting");

    assertThatThrownBy(
            () ->
                Copy.fetchBytes(counted, "greeting", FetchBytesOptions.defaults().withMaxBytes(4)))
        .isInstanceOf(SizeLimitExceededException.class);
  }

  @Test
  void pushesBytes() throws IOException {
    Descriptor desc = Copy.pushBytes(store, "text/plain", Fixtures.utf8("hi"));

    assertThat(desc).isEqualTo(Descriptor.of("text/plain", Fixtures.utf8("hi")));
    assertThat(store.fetch(desc).readAllBytes()).isEqualTo(Fixtures.utf8("hi"));
  }

  @Test
  void pushesBytesAsOctetStreamWithoutAMediaType() throws IOException {
    assertThat(Copy.pushBytes(store, null, Fixtures.utf8("hi")).mediaType())
        .isEqualTo(MediaTypes.OCTET_STREAM);
  }

  @Test
  void pushBytesLetsAlreadyExistsThrough() throws IOException {
    Copy.pushBytes(store, "text/plain", Fixtures.utf8("hi"));

    assertThatThrownBy(() -> Copy.pushBytes(store, "text/plain", Fixtures.utf8("hi")))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void tagsAReference() throws IOException {
    Descriptor image = Graphs.image(store, "img", 1);
    store.tag(image, "v1");

    assertThat(Copy.tag(store, "v1", "latest")).isEqualTo(image);
    assertThat(store.resolve("latest")).isEqualTo(image);
  }

  @Test
  void tagsThroughAReferenceFetcherAndPusherWithOneFetchAndOnePush() throws IOException {
    Descriptor image = Graphs.image(store, "img", 1);
    store.tag(image, "v1");
    CopyTest.ReferenceStore references = new CopyTest.ReferenceStore(store);

    Copy.tag(references, "v1", "latest");

    assertThat(references.total("fetchReference")).isEqualTo(1);
    assertThat(references.total("pushReference")).isEqualTo(1);
    assertThat(references.total("tag")).isZero();
    assertThat(store.resolve("latest").key()).isEqualTo(image.key());
  }

  @Test
  void tagsWithSeveralTags() throws IOException {
    Descriptor image = Graphs.image(store, "img", 1);
    store.tag(image, "v1");

    Copy.tagN(counted, "v1", List.of("a", "b", "c", "a"), TagOptions.defaults().withConcurrency(2));

    for (String tag : List.of("a", "b", "c")) {
      assertThat(store.resolve(tag)).isEqualTo(image);
    }
    assertThat(counted.total("tag")).isEqualTo(3);
  }

  @Test
  void tagsWithSeveralTagsThroughAReferencePusher() throws IOException {
    Descriptor image = Graphs.image(store, "img", 1);
    store.tag(image, "v1");
    CopyTest.ReferenceStore references = new CopyTest.ReferenceStore(store);

    Copy.tagN(references, "v1", List.of("a", "b"), TagOptions.defaults());

    assertThat(references.total("fetchReference")).isEqualTo(1);
    assertThat(references.total("pushReference")).isEqualTo(2);
    assertThat(store.resolve("b").key()).isEqualTo(image.key());
  }

  @Test
  void tagNRejectsAnEmptyListOfTags() {
    assertThatThrownBy(() -> Copy.tagN(store, "v1", List.of(), TagOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tagNReportsTheFirstFailure() throws IOException {
    Descriptor image = Graphs.image(store, "img", 1);
    store.tag(image, "v1");

    assertThatThrownBy(() -> Copy.tagN(counted, "v1", List.of("ok", ""), TagOptions.defaults()))
        .isInstanceOf(dev.stevedore.content.InvalidReferenceException.class);
  }

  @Test
  void tagsBytes() throws IOException {
    Descriptor desc = Copy.tagBytes(store, "text/plain", Fixtures.utf8("hi"), "note");

    assertThat(store.resolve("note")).isEqualTo(desc);
  }

  @Test
  void tagsBytesThatAreAlreadyThere() throws IOException {
    Copy.pushBytes(store, "text/plain", Fixtures.utf8("hi"));

    Descriptor desc =
        Copy.tagBytesN(
            store, "text/plain", Fixtures.utf8("hi"), List.of("x", "y"), TagOptions.defaults());

    assertThat(store.resolve("x")).isEqualTo(desc);
    assertThat(store.resolve("y")).isEqualTo(desc);
  }

  @Test
  void tagsBytesThroughAReferencePusherWithOnePushPerTag() throws IOException {
    CopyTest.ReferenceStore references = new CopyTest.ReferenceStore(store);

    Copy.tagBytesN(
        references, "text/plain", Fixtures.utf8("hi"), List.of("x", "y"), TagOptions.defaults());

    assertThat(references.total("pushReference")).isEqualTo(2);
    assertThat(references.total("push")).isZero();
    assertThat(store.resolve("y").digest())
        .isEqualTo(Descriptor.of("text/plain", Fixtures.utf8("hi")).digest());
  }

  @Test
  void resolveLetsTheStoresNotFoundThrough() {
    assertThatThrownBy(() -> Copy.resolve(store, "missing", ResolveOptions.defaults()))
        .isInstanceOf(NotFoundException.class);
  }
}
