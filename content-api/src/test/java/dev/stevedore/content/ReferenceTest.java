package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ReferenceTest {
  private static final String DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Test
  void parsesRegistryRepositoryAndTag() throws Exception {
    Reference ref = Reference.parse("localhost:5000/library/hello-world:v1.0");
    assertThat(ref.registry()).isEqualTo("localhost:5000");
    assertThat(ref.repository()).isEqualTo("library/hello-world");
    assertThat(ref.tag()).isEqualTo("v1.0");
    assertThat(ref.digest()).isNull();
    assertThat(ref.reference()).isEqualTo("v1.0");
  }

  @Test
  void digestWinsOverTagForResolution() throws Exception {
    Reference ref = Reference.parse("ghcr.io/org/app:1.2@" + DIGEST);
    assertThat(ref.tag()).isEqualTo("1.2");
    assertThat(ref.reference()).isEqualTo(DIGEST);
    assertThat(ref).hasToString("ghcr.io/org/app:1.2@" + DIGEST);
  }

  @Test
  void portWithoutTagIsNotMistakenForATag() throws Exception {
    Reference ref = Reference.parse("127.0.0.1:5000/repo");
    assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(ref.tag()).isNull();
  }

  @Test
  void ipv6HostIsAccepted() throws Exception {
    assertThat(Reference.parse("[::1]:5000/repo:t").registry()).isEqualTo("[::1]:5000");
  }

  @Test
  void missingRegistryIsNamed() {
    assertThatThrownBy(() -> Reference.parse("hello"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("missing registry");
  }

  @Test
  void upperCaseRepositoryIsNamed() {
    assertThatThrownBy(() -> Reference.parse("localhost/Hello:v1"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("invalid repository \"Hello\"");
  }

  @Test
  void badTagIsNamed() {
    assertThatThrownBy(() -> Reference.parse("localhost/hello:.v1"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("invalid tag \".v1\"");
  }

  @Test
  void tooLongTagIsRejected() {
    assertThatThrownBy(() -> Reference.parse("localhost/hello:" + "a".repeat(129)))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("invalid tag");
  }

  @Test
  void badDigestIsNamed() {
    assertThatThrownBy(() -> Reference.parse("localhost/hello@sha256:nothex"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("invalid digest");
  }

  @Test
  void emptyTagIsNamed() {
    assertThatThrownBy(() -> Reference.parse("localhost/hello:"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("empty tag");
  }

  @Test
  void withReferenceSwitchesBetweenTagAndDigest() throws Exception {
    Reference ref = Reference.parse("localhost/hello:v1");
    assertThat(ref.withReference(DIGEST).reference()).isEqualTo(DIGEST);
    assertThat(ref.withReference(DIGEST).tag()).isNull();
    assertThat(ref.withReference("v2").reference()).isEqualTo("v2");
    assertThatThrownBy(() -> ref.withReference("sha256:zz"))
        .isInstanceOf(InvalidReferenceException.class);
  }

  @Property
  void toStringThenParseRoundTrips(@ForAll("references") Reference ref) throws Exception {
    assertThat(Reference.parse(ref.toString())).isEqualTo(ref);
  }

  @Property
  void garbageNeverEscapesAsAnUncheckedException(@ForAll String garbage) {
    try {
      Reference parsed = Reference.parse(garbage);
      assertThat(Reference.parse(parsed.toString())).isEqualTo(parsed);
    } catch (InvalidReferenceException expected) {
      assertThat(expected.getMessage()).startsWith("invalid reference");
    }
  }

  @Provide
  Arbitrary<Reference> references() {
    Arbitrary<String> label =
        Arbitraries.strings()
            .withChars("abcdefghijklmnopqrstuvwxyz0123456789")
            .ofMinLength(1)
            .ofMaxLength(10);
    Arbitrary<String> host =
        Combinators.combine(
                label.list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.integers().between(0, 65535).injectNull(0.5))
            .as((labels, port) -> String.join(".", labels) + (port == null ? "" : ":" + port));
    Arbitrary<String> component =
        Combinators.combine(label, Arbitraries.of(".", "_", "__", "-", "--"), label)
            .as((a, sep, b) -> a + sep + b);
    Arbitrary<String> repo =
        Arbitraries.oneOf(label, component)
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map(parts -> String.join("/", parts));
    Arbitrary<String> tag =
        Arbitraries.strings()
            .withChars("abcXYZ019_")
            .ofLength(1)
            .flatMap(
                first ->
                    Arbitraries.strings()
                        .withChars("abcXYZ019_.-")
                        .ofMaxLength(20)
                        .map(rest -> first + rest))
            .injectNull(0.3);
    Arbitrary<Digest> digest =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(16).map(Digest::sha256).injectNull(0.5);
    return Combinators.combine(host, repo, tag, digest).as(Reference::new);
  }
}
