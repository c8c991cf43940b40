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

  private Arbitrary<Descriptor> descriptors() {
    Arbitrary<Platform> platform =
        Combinators.combine(
                Arbitraries.of("amd64", "arm64"),
                Arbitraries.of("linux", "windows"),
                Arbitraries.of("v7", "v8").injectNull(0.5))
            .as((arch, os, variant) -> new Platform(arch, os, null, List.of(), variant));
    return Combinators.combine(
            mediaTypes(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(32),
            annotations(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(8).injectNull(0.5),
            platform.injectNull(0.6),
            mediaTypes().injectNull(0.7))
        .as(
            (mt, content, ann, data, plat, at) ->
                new Descriptor(
                    mt, Digest.sha256(content), content.length, List.of(), ann, data, plat, at));
  }
}
