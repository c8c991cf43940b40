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

  /** The successors as a tree of the whole document reads them (the reading before streaming). */
  private static List<Descriptor> byTree(String json, String... fields) throws Exception {
    com.fasterxml.jackson.databind.JsonNode root =
        dev.stevedore.content.internal.Json.mapper().readTree(json);
    List<Descriptor> out = new java.util.ArrayList<>();
    for (String field : fields) {
      com.fasterxml.jackson.databind.JsonNode node = root.get(field);
      if (node == null || node.isNull()) {
        continue;
      }
      for (com.fasterxml.jackson.databind.JsonNode one : node.isArray() ? node : List.of(node)) {
        out.add(dev.stevedore.content.internal.Json.mapper().treeToValue(one, Descriptor.class));
      }
    }
    return out;
  }

  @Test
  void streamingReadingGivesWhatTheTreeGave() throws Exception {
    String digest = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    String full =
        "{\"mediaType\":\"application/vnd.test\",\"digest\":\""
            + digest
            + "\",\"size\":3,\"urls\":[\"https://example.com/x\"],"
            + "\"annotations\":{\"k\":\"v\",\"a\":\"\\u00e9\"},\"data\":\"YWJj\","
            + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"},"
            + "\"artifactType\":\"application/vnd.sig\",\"unknown\":{\"deep\":[1,{\"x\":null}]}}";
    String plain =
        "{\"mediaType\":\"application/vnd.test\",\"digest\":\"" + digest + "\",\"size\":3}";
    List<String> documents =
        List.of(
            "{\"schemaVersion\":2,\"config\":"
                + plain
                + ",\"layers\":["
                + full
                + ","
                + plain
                + "]}",
            // fields in another order, unknown fields around, the subject last in the file
            "{\"x\":[{\"layers\":1}],\"layers\":["
                + plain
                + "],\"config\":"
                + full
                + ",\"subject\":"
                + plain
                + ",\"annotations\":{\"layers\":\"no\"}}",
            // a duplicate field: the last one wins, as in the tree
            "{\"layers\":[" + full + "],\"config\":" + plain + ",\"layers\":[" + plain + "]}",
            // null and empty fields
            "{\"subject\":null,\"config\":" + plain + ",\"layers\":[]}",
            "{}");
    for (String json : documents) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertThat(Successors.parse(Descriptor.of(MediaTypes.OCI_MANIFEST, bytes), bytes))
          .as(json)
          .containsExactlyElementsOf(byTree(json, "subject", "config", "layers"));
    }
    String index = "{\"manifests\":[" + full + "," + plain + "],\"subject\":" + plain + "}";
    byte[] bytes = index.getBytes(StandardCharsets.UTF_8);
    assertThat(Successors.parse(Descriptor.of(MediaTypes.OCI_INDEX, bytes), bytes))
        .containsExactlyElementsOf(byTree(index, "subject", "manifests"))
        .hasSize(3);
    assertThat(
            Successors.parse(Descriptor.of(MediaTypes.OCI_INDEX, bytes), bytes).get(1).platform())
        .isNotNull();
  }

  @Test
  void malformedContentIsReportedAsBefore() {
    String digest = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    String plain =
        "{\"mediaType\":\"application/vnd.test\",\"digest\":\"" + digest + "\",\"size\":3}";
    Map<String, String> cases =
        Map.of(
            "{\"config\":\"x\"}",
            "config is not a descriptor object",
            "{\"layers\":[" + plain + ",null]}",
            "layers[1] is not a descriptor object",
            "{\"layers\":[{\"mediaType\":\"a/b\",\"digest\":\"nope\",\"size\":1}]}",
            "layers[0]",
            "{\"layers\":[" + plain + "]",
            "malformed",
            "[]",
            "not a JSON object",
            "",
            "empty document");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      byte[] bytes = c.getKey().getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(
              () -> Successors.parse(Descriptor.of(MediaTypes.OCI_MANIFEST, bytes), bytes))
          .as(c.getKey())
          .isInstanceOf(InvalidDescriptorException.class)
          .hasMessageContaining(c.getValue());
    }
  }
}
