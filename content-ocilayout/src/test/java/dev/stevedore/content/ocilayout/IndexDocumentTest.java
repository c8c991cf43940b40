package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import dev.stevedore.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexDocumentTest {
  private static final Descriptor A = Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8("a"));
  private static final Descriptor B = Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8("b"));

  private static List<String> names(IndexDocument doc) {
    return doc.entries().stream()
        .map(d -> d.digest().encoded().substring(0, 4) + "=" + d.annotation(Annotations.REF_NAME))
        .toList();
  }

  private static String name(Descriptor d, String tag) {
    return d.digest().encoded().substring(0, 4) + "=" + tag;
  }

  @Test
  void aDocumentSurvivesARoundTripThroughJson() throws Exception {
    IndexDocument doc =
        IndexDocument.empty()
            .withUntagged(A.withPlatform(Platform.of("linux", "amd64")))
            .withTag(B.withAnnotations(Map.of("k", "v")), "v1");
    assertThat(IndexDocument.parse(doc.toJson(), "test")).isEqualTo(doc);
  }

  @Test
  void taggingReplacesAnUntaggedEntryOfTheSameDigest() {
    IndexDocument doc = IndexDocument.empty().withUntagged(A).withTag(A, "v1");
    assertThat(names(doc)).containsExactly(name(A, "v1"));
  }

  @Test
  void retaggingReplacesTheEntryInPlaceAndKeepsTheFormerManifestListed() {
    IndexDocument doc = IndexDocument.empty().withTag(A, "v1").withTag(B, "other").withTag(B, "v1");
    assertThat(names(doc)).containsExactly(name(B, "v1"), name(B, "other"), name(A, "null"));
  }

  @Test
  void retaggingToTheSameManifestAddsNoEntry() {
    IndexDocument doc = IndexDocument.empty().withTag(A, "v1").withTag(A, "v1");
    assertThat(names(doc)).containsExactly(name(A, "v1"));
  }

  @Test
  void retaggingDoesNotListTheFormerManifestTwice() {
    IndexDocument doc = IndexDocument.empty().withTag(A, "v1").withTag(A, "v2").withTag(B, "v1");
    assertThat(names(doc)).containsExactly(name(B, "v1"), name(A, "v2"));
  }

  @Test
  void anEditorAppliesManyChangesAsTheDocumentOperationsDo() {
    IndexEditor editor = IndexEditor.of(IndexDocument.empty());
    IndexDocument doc = IndexDocument.empty();
    for (int i = 0; i < 200; i++) {
      Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8("m" + i));
      IndexChange change =
          switch (i % 5) {
            case 0, 1 -> new IndexChange.List(d);
            case 2 -> new IndexChange.Tag(d, "t" + (i % 7));
            case 3 -> new IndexChange.Untag("t" + (i % 7));
            default ->
                new IndexChange.Remove(
                    Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8("m" + (i - 4))).digest());
          };
      change.applyTo(editor);
      IndexEditor single = IndexEditor.of(doc);
      change.applyTo(single);
      doc = single.snapshot();
      assertThat(editor.snapshot()).isEqualTo(doc);
    }
    assertThat(editor.size()).isEqualTo(doc.entries().size());
  }

  @Test
  void untaggingLeavesTheManifestListedInItsPlace() {
    IndexDocument doc = IndexDocument.empty().withTag(A, "v1").withUntagged(B).withoutTag("v1");
    assertThat(names(doc)).containsExactly(name(A, "null"), name(B, "null"));
  }

  @Test
  void untaggingOneOfTwoTagsLeavesTheOther() {
    IndexDocument doc = IndexDocument.empty().withTag(A, "v1").withTag(A, "v2").withoutTag("v1");
    assertThat(names(doc)).containsExactly(name(A, "v2"));
  }

  @Test
  void removingADigestRemovesAllItsEntries() {
    IndexDocument doc =
        IndexDocument.empty()
            .withTag(A, "v1")
            .withTag(A, "v2")
            .withUntagged(B)
            .withoutDigest(A.digest());
    assertThat(names(doc)).containsExactly(name(B, "null"));
  }

  @Test
  void unknownFieldsOfAForeignIndexAreKept() throws Exception {
    String json =
        "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"org.example\":\"kept\"}}";
    IndexDocument doc = IndexDocument.parse(Fixtures.utf8(json), "index.json").withUntagged(A);
    assertThat(new String(doc.toJson(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"annotations\":{\"org.example\":\"kept\"}");
  }

  @Test
  void anotherSchemaVersionIsRefused() {
    assertThatThrownBy(
            () -> IndexDocument.parse(Fixtures.utf8("{\"schemaVersion\":3,\"manifests\":[]}"), "f"))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("schemaVersion 3");
  }
}
