package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DigestTest {

  @Test
  void sha256OfEmptyJsonIsTheWellKnownDigest() {
    assertThat(Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)).toString())
        .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  }

  @Test
  void sha512IsSupported() throws Exception {
    Digest d = Digest.of(Digest.SHA512, new byte[0]);
    assertThat(d.encoded()).hasSize(128).startsWith("cf83e1357eefb8bd");
    assertThat(Digest.parse(d.toString())).isEqualTo(d);
  }

  @Test
  void parseRejectsUnknownAlgorithm() {
    assertThatThrownBy(() -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e"))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("unsupported algorithm \"md5\"");
  }

  @Test
  void parseRejectsWrongLength() {
    assertThatThrownBy(() -> Digest.parse("sha256:abc"))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("64 hex characters, got 3");
  }

  @Test
  void parseRejectsUpperCase() {
    String upper = "sha256:" + "A".repeat(64);
    assertThatThrownBy(() -> Digest.parse(upper))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("lower-case");
  }

  @Test
  void parseRejectsPathCharacters() {
    String hostile = "sha256:../../../../etc/passwd" + "0".repeat(36);
    assertThatThrownBy(() -> Digest.parse(hostile)).isInstanceOf(InvalidDescriptorException.class);
    assertThat(Digest.tryParse(hostile)).isEmpty();
  }

  @Test
  void parseRejectsMissingColon() {
    assertThatThrownBy(() -> Digest.parse("sha256"))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageContaining("algorithm:encoded");
  }

  @Test
  void digesterFedInPiecesEqualsOneShot() {
    byte[] bytes = "hello, world".getBytes(StandardCharsets.UTF_8);
    Digester digester = Digester.sha256();
    digester.update(bytes, 0, 5);
    digester.update(bytes, 5, bytes.length - 5);
    assertThat(digester.count()).isEqualTo(bytes.length);
    assertThat(digester.digest()).isEqualTo(Digest.sha256(bytes));
  }

  @Property
  void parseOfToStringRoundTrips(@ForAll byte[] content) throws Exception {
    Digest digest = Digest.sha256(content);
    assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
  }

  @Property
  void garbageIsRejectedNotThrownUnchecked(@ForAll String garbage) {
    // Any string either parses to a digest whose wire form is the input, or is rejected cleanly.
    Digest.tryParse(garbage).ifPresent(d -> assertThat(d.toString()).isEqualTo(garbage));
    if (Digest.tryParse(garbage).isEmpty()) {
      assertThatThrownBy(() -> Digest.parse(garbage))
          .isInstanceOf(InvalidDescriptorException.class);
    }
  }

  @Property
  void nearMissEncodingsAreRejected(@ForAll("nearMisses") String encoded) {
    assertThat(Digest.tryParse("sha256:" + encoded)).isEmpty();
  }

  @Provide
  Arbitrary<String> nearMisses() {
    Arbitrary<String> wrongLength =
        Arbitraries.strings()
            .withChars("0123456789abcdef")
            .ofMinLength(0)
            .ofMaxLength(130)
            .filter(s -> s.length() != 64);
    Arbitrary<String> badChar =
        Arbitraries.strings()
            .withChars("0123456789abcdef")
            .ofLength(63)
            .flatMap(s -> Arbitraries.of('g', 'G', 'A', '/', '.', ' ', ':', '-').map(c -> s + c));
    return Arbitraries.oneOf(wrongLength, badChar);
  }
}
