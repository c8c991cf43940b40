package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {
  private static final String EMPTY =
      "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2,\"data\":\"e30=\"}";

  private static String json(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void descriptorFieldsAreWrittenInGoOrderWithOmissions() {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("z", "last");
    annotations.put("a", "first");
    Descriptor d =
        new Descriptor(
            "application/x",
            Digest.sha256(new byte[0]),
            0,
            List.of("https://example.com/b"),
            annotations,
            new byte[] {1, 2},
            Platform.of("linux", "arm64"),
            "application/vnd.t");
    assertThat(json(d.toJson()))
        .isEqualTo(
            "{\"mediaType\":\"application/x\",\"digest\":\""
                + Digest.sha256(new byte[0])
                + "\",\"size\":0,\"urls\":[\"https://example.com/b\"],"
                + "\"annotations\":{\"a\":\"first\",\"z\":\"last\"},\"data\":\"AQI=\","
                + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"},\"artifactType\":\"application/vnd.t\"}");
  }

  @Test
  void emptyJsonDescriptorMatchesTheSpec() {
    assertThat(json(MediaTypes.EMPTY_JSON.toJson())).isEqualTo(EMPTY);
  }

  @Test
  void manifestAlwaysWritesLayersAndOmitsEmptyOptionals() {
    Manifest m = new Manifest(2, null, null, MediaTypes.EMPTY_JSON, List.of(), null, Map.of());
    assertThat(json(m.toJson()))
        .isEqualTo("{\"schemaVersion\":2,\"config\":" + EMPTY + ",\"layers\":[]}");
  }

  @Test
  void indexAlwaysWritesManifests() {
    Index i = new Index(2, MediaTypes.OCI_INDEX, null, List.of(), null, Map.of());
    assertThat(json(i.toJson()))
        .isEqualTo(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}");
  }

  @Test
  void htmlCharactersAreEscapedAsGoDoes() {
    Descriptor d =
        Descriptor.of("application/x", new byte[0]).withAnnotations(Map.of("k", "<a & b>\u2028"));
    assertThat(json(d.toJson())).contains("\"k\":\"\\u003ca \\u0026 b\\u003e\\u2028\"");
  }

  @Test
  void annotationKeysAreSortedByCodePointLikeGo() {
    // U+FF21 (fullwidth A) sorts before U+1F600 (emoji) by code point and by UTF-8 bytes,
    // but after it by UTF-16 code units.
    Descriptor d =
        Descriptor.of("application/x", new byte[0])
            .withAnnotations(Map.of("\uD83D\uDE00", "emoji", "\uFF21", "fullwidth"));
    assertThat(d.annotations().keySet()).containsExactly("\uFF21", "\uD83D\uDE00");
  }

  @Test
  void unknownFieldsAreIgnoredWhenReading() throws Exception {
    String text =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":"
            + EMPTY
            + ",\"layers\":[],\"futureField\":{\"x\":[1,2]}}";
    Manifest m = Manifest.parse(text.getBytes(StandardCharsets.UTF_8));
    assertThat(m.config()).isEqualTo(MediaTypes.EMPTY_JSON);
  }

  @Test
  void aDescriptorWithoutDigestIsAClearError() {
    String text =
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/x\",\"size\":2},\"layers\":[]}";
    assertThatThrownBy(() -> Manifest.parse(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageStartingWith("malformed manifest")
        .hasMessageContaining("digest");
  }

  @Test
  void notJsonIsAClearError() {
    assertThatThrownBy(() -> Index.parse("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageStartingWith("malformed index");
  }

  @Test
  void aBadDigestInsideAManifestIsAClearError() {
    String text =
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/x\",\"digest\":\"sha256:../x\",\"size\":2},\"layers\":[]}";
    assertThatThrownBy(() -> Manifest.parse(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("invalid digest");
  }

  @Test
  void aNegativeSizeIsRejected() {
    String text =
        "{\"mediaType\":\"application/x\",\"digest\":\""
            + Digest.sha256(new byte[0])
            + "\",\"size\":-1}";
    assertThatThrownBy(() -> Descriptor.parse(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("negative");
  }

  @Property
  void manifestReadOfWriteIsIdentity(@ForAll("manifests") Manifest manifest) throws Exception {
    byte[] bytes = manifest.toJson();
    Manifest back = Manifest.parse(bytes);
    assertThat(back).isEqualTo(manifest);
    assertThat(back.toJson()).isEqualTo(bytes);
  }

  @Property
  void indexReadOfWriteIsIdentity(@ForAll("indexes") Index index) throws Exception {
    byte[] bytes = index.toJson();
    assertThat(Index.parse(bytes)).isEqualTo(index);
  }

  /** The Jackson data binding of the records' annotations: what the bytes were before OciJson. */
  private static byte[] bound(Object value) throws Exception {
    return dev.stevedore.content.internal.Json.mapper().writeValueAsBytes(value);
  }

  @Property
  void manifestsAreWrittenAsTheAnnotatedRecordsBind(@ForAll("manifests") Manifest manifest)
      throws Exception {
    assertThat(json(manifest.toJson())).isEqualTo(json(bound(manifest)));
    assertThat(Manifest.parse(bound(manifest))).isEqualTo(manifest);
  }

  @Property
  void indexesAreWrittenAsTheAnnotatedRecordsBind(@ForAll("indexes") Index index) throws Exception {
    assertThat(json(index.toJson())).isEqualTo(json(bound(index)));
    assertThat(Index.parse(bound(index))).isEqualTo(index);
  }

  @Property
  void descriptorsAreWrittenAsTheAnnotatedRecordsBind(@ForAll("descriptors") Descriptor descriptor)
      throws Exception {
    assertThat(json(descriptor.toJson())).isEqualTo(json(bound(descriptor)));
    assertThat(Descriptor.parse(bound(descriptor))).isEqualTo(descriptor);
  }

  @Test
  void aValueOfTheWrongTypeIsAnErrorNamingTheField() {
    String digest = Digest.sha256(new byte[0]).toString();
    Map<String, String> cases =
        Map.of(
            "{\"mediaType\":5,\"digest\":\"" + digest + "\",\"size\":0}",
            "mediaType: expected a string, found a number",
            "{\"mediaType\":\"a/b\",\"digest\":\"" + digest + "\",\"size\":\"0\"}",
            "size: expected an integer, found a string",
            "{\"mediaType\":\"a/b\",\"digest\":\"" + digest + "\",\"size\":1.5}",
            "size: expected an integer, found a number",
            "{\"mediaType\":\"a/b\",\"digest\":\""
                + digest
                + "\",\"size\":0,"
                + "\"annotations\":{\"k\":1}}",
            "annotations.k: expected a string, found a number",
            "{\"mediaType\":\"a/b\",\"digest\":\""
                + digest
                + "\",\"size\":0,"
                + "\"platform\":{\"os\":[]}}",
            "platform.os: expected a string, found an array",
            "{\"mediaType\":\"a/b\",\"digest\":\"" + digest + "\",\"size\":0} {}",
            "data after the end of the JSON object",
            "{\"mediaType\":\"a/b\",\"digest\":\"" + digest + "\",\"size\":0,\"data\":\"%%\"}",
            "data: not valid base64",
            "[]",
            "not a JSON object but an array");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      assertThatThrownBy(() -> Descriptor.parse(c.getKey().getBytes(StandardCharsets.UTF_8)))
          .as(c.getKey())
          .isInstanceOf(InvalidDescriptorException.class)
          .hasMessage("malformed descriptor: " + c.getValue());
    }
  }

  @Test
  void anErrorInsideAnIndexNamesItsPath() {
    String text =
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a/b\",\"digest\":\""
            + Digest.sha256(new byte[0])
            + "\",\"size\":1},{\"mediaType\":\"a/b\",\"digest\":\"sha256:x\",\"size\":1}]}";
    assertThatThrownBy(() -> Index.parse(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageStartingWith(
            "malformed index: manifests[1].digest: invalid digest \"sha256:x\"");
  }

  @Test
  void onlyAManifestReadsAConfigAndItMustHaveOne() throws Exception {
    assertThat(
            Index.parse(
                    "{\"schemaVersion\":2,\"config\":\"not read\",\"layers\":7,\"manifests\":[]}"
                        .getBytes(StandardCharsets.UTF_8))
                .manifests())
        .isEmpty();
    assertThatThrownBy(
            () ->
                Manifest.parse(
                    "{\"schemaVersion\":2,\"manifests\":7,\"layers\":[]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessage("malformed manifest: manifest config is missing");
  }

  @Test
  void nullLeavesAFieldUnsetAndUnknownFieldsOfAnyShapeAreSkipped() throws Exception {
    String text =
        "{\"schemaVersion\":2,\"mediaType\":null,\"config\":"
            + EMPTY
            + ",\"layers\":null,\"subject\":null,\"annotations\":null,"
            + "\"x\":[{\"layers\":[1]},null,true,\"s\",-1.5e3]}";
    Manifest m = Manifest.parse(text.getBytes(StandardCharsets.UTF_8));
    assertThat(m)
        .isEqualTo(new Manifest(2, null, null, MediaTypes.EMPTY_JSON, List.of(), null, Map.of()));
  }

  @Provide
  Arbitrary<Manifest> manifests() {
    Arbitrary<Descriptor> desc = descriptors();
    return Combinators.combine(
            Arbitraries.of("application/vnd.oci.image.manifest.v1+json", "").injectNull(0.2),
            mediaTypes().injectNull(0.5),
            desc,
            desc.list().ofMaxSize(4),
            desc.injectNull(0.6),
            annotations())
        .as(
            (mt, at, config, layers, subject, ann) ->
                new Manifest(2, mt, at, config, layers, subject, ann));
  }

  @Provide
  Arbitrary<Index> indexes() {
    return Combinators.combine(
            mediaTypes().injectNull(0.5),
            descriptors().list().ofMaxSize(4),
            descriptors().injectNull(0.6),
            annotations())
        .as(
            (at, manifests, subject, ann) ->
                new Index(2, MediaTypes.OCI_INDEX, at, manifests, subject, ann));
  }

  private Arbitrary<String> mediaTypes() {
    return Arbitraries.strings()
        .alpha()
        .ofMinLength(1)
        .ofMaxLength(8)
        .map(s -> "application/vnd." + s);
  }

  private Arbitrary<Map<String, String>> annotations() {
    return Arbitraries.maps(
            Arbitraries.strings().ofMinLength(1).ofMaxLength(12),
            Arbitraries.strings().ofMaxLength(20))
        .ofMaxSize(4);
  }

  @Provide
  Arbitrary<Descriptor> descriptors() {
    Arbitrary<Platform> platform =
        Combinators.combine(
                Arbitraries.of("amd64", "arm64", ""),
                Arbitraries.of("linux", "windows"),
                Arbitraries.of("10.0.17763.1879", "").injectNull(0.5),
                Arbitraries.of("win32k", "sse4").list().ofMaxSize(2),
                Arbitraries.of("v7", "v8").injectNull(0.5))
            .as(Platform::new);
    return Combinators.combine(
            mediaTypes(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(32),
            Arbitraries.of("https://example.com/a?b=c&d=<e>", "http://x/\u2028")
                .list()
                .ofMaxSize(2),
            annotations(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(8).injectNull(0.5),
            platform.injectNull(0.6),
            mediaTypes().injectNull(0.7))
        .as(
            (mt, content, urls, ann, data, plat, at) ->
                new Descriptor(
                    mt, Digest.sha256(content), content.length, urls, ann, data, plat, at));
  }
}
