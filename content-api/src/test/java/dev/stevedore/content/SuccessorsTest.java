package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuccessorsTest {
  private static Descriptor blob(String s) {
    return Descriptor.of("application/vnd.test", s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void ociManifestGivesSubjectConfigThenLayers() throws Exception {
    Descriptor subject = blob("subject").withMediaType(MediaTypes.OCI_MANIFEST);
    Manifest m =
        new Manifest(
            2,
            MediaTypes.OCI_MANIFEST,
            null,
            blob("config"),
            List.of(blob("l1"), blob("l2")),
            subject,
            Map.of());
    byte[] json = m.toJson();
    List<Descriptor> successors =
        Successors.parse(Descriptor.of(MediaTypes.OCI_MANIFEST, json), json);
    assertThat(successors).containsExactly(subject, blob("config"), blob("l1"), blob("l2"));
  }

  @Test
  void ociIndexGivesSubjectThenManifests() throws Exception {
    Descriptor subject = blob("s");
    Index index =
        new Index(
            2, MediaTypes.OCI_INDEX, null, List.of(blob("m1"), blob("m2")), subject, Map.of());
    byte[] json = index.toJson();
    assertThat(Successors.parse(Descriptor.of(MediaTypes.OCI_INDEX, json), json))
        .containsExactly(subject, blob("m1"), blob("m2"));
  }

  @Test
  void dockerManifestIgnoresASubjectField() throws Exception {
    Manifest m =
        new Manifest(
            2,
            MediaTypes.DOCKER_MANIFEST,
            null,
            blob("c"),
            List.of(blob("l")),
            blob("s"),
            Map.of());
    byte[] json = m.toJson();
    assertThat(Successors.parse(Descriptor.of(MediaTypes.DOCKER_MANIFEST, json), json))
        .containsExactly(blob("c"), blob("l"));
  }

  @Test
  void dockerManifestListGivesManifests() throws Exception {
    Index index =
        new Index(2, MediaTypes.DOCKER_MANIFEST_LIST, null, List.of(blob("m")), null, Map.of());
    byte[] json = index.toJson();
    assertThat(Successors.parse(Descriptor.of(MediaTypes.DOCKER_MANIFEST_LIST, json), json))
        .containsExactly(blob("m"));
  }

  @Test
  void artifactManifestGivesSubjectThenBlobs() throws Exception {
    String json =
        "{\"mediaType\":\""
            + MediaTypes.OCI_ARTIFACT_MANIFEST
            + "\",\"artifactType\":\"a/b\","
            + "\"blobs\":["
            + new String(blob("b").toJson(), StandardCharsets.UTF_8)
            + "],"
            + "\"subject\":"
            + new String(blob("s").toJson(), StandardCharsets.UTF_8)
            + "}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThat(Successors.parse(Descriptor.of(MediaTypes.OCI_ARTIFACT_MANIFEST, bytes), bytes))
        .containsExactly(blob("s"), blob("b"));
  }

  @Test
  void otherMediaTypesAreLeavesAndAreNotFetched() throws Exception {
    Fetcher failing =
        d -> {
          throw new AssertionError("a leaf must not be fetched");
        };
    assertThat(Successors.find(failing, blob("x"), 100)).isEmpty();
  }

  @Test
  void malformedManifestNamesWhatIsWrong() {
    byte[] json = "{\"layers\":[42]}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Successors.parse(Descriptor.of(MediaTypes.OCI_MANIFEST, json), json))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("layers[0]");
  }
}
