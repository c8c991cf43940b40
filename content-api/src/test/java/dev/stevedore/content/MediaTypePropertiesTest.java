package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * RFC 6838 media type names, section 4.2: {@code type "/" subtype}, each a restricted-name of a
 * letter or digit followed by at most 126 of {@code ALPHA DIGIT ! # $ & - ^ _ . +}.
 */
class MediaTypePropertiesTest {
  private static final String FIRST =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String REST = FIRST + "!#$&-^_.+";

  /** Every printable ASCII character that a restricted-name may not hold. */
  private static final String REFUSED = " \"%'()*,/:;<=>?@[\\]`{|}~";

  @Provide
  Arbitrary<String> restrictedNames() {
    Arbitrary<Character> first = Arbitraries.of(FIRST.chars().mapToObj(c -> (char) c).toList());
    Arbitrary<String> rest =
        Arbitraries.strings().withChars(REST.toCharArray()).ofMinLength(0).ofMaxLength(126);
    return Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  @Provide
  Arbitrary<Character> refusedCharacters() {
    return Arbitraries.of(REFUSED.chars().mapToObj(c -> (char) c).toList());
  }

  @Property
  void everyRestrictedNamePairIsAccepted(
      @ForAll("restrictedNames") String type, @ForAll("restrictedNames") String subtype) {
    assertThat(Packer.isValidMediaType(type + "/" + subtype)).isTrue();
  }

  @Property
  void aRefusedCharacterAnywhereInTheSubtypeIsRefused(
      @ForAll("restrictedNames") String type,
      @ForAll("restrictedNames") String subtype,
      @ForAll("refusedCharacters") char bad) {
    int at = 1 + Math.floorMod(subtype.hashCode(), subtype.length());
    String withBad = subtype.substring(0, at) + bad + subtype.substring(at);
    assertThat(Packer.isValidMediaType(type + "/" + withBad)).as(type + "/" + withBad).isFalse();
  }

  @Property
  void aRefusedCharacterInTheTypeIsRefused(
      @ForAll("restrictedNames") String type,
      @ForAll("restrictedNames") String subtype,
      @ForAll("refusedCharacters") char bad) {
    assertThat(Packer.isValidMediaType(type + bad + "/" + subtype)).isFalse();
  }

  @Property
  void aNameThatStartsWithAPunctuationCharacterIsRefused(
      @ForAll("restrictedNames") String name, @ForAll("punctuation") char first) {
    assertThat(Packer.isValidMediaType(first + name + "/" + name)).isFalse();
    assertThat(Packer.isValidMediaType(name + "/" + first + name)).isFalse();
  }

  @Provide
  Arbitrary<Character> punctuation() {
    return Arbitraries.of('!', '#', '$', '&', '-', '^', '_', '.', '+');
  }

  @Property
  void aNameLongerThan127CharactersIsRefused(@ForAll("restrictedNames") String name) {
    String tooLong = "a".repeat(128);
    assertThat(Packer.isValidMediaType(tooLong + "/" + name)).isFalse();
    assertThat(Packer.isValidMediaType(name + "/" + tooLong)).isFalse();
  }

  @Example
  void theCharactersTheOldRangeLetThroughAreRefused() {
    // The old class [!#$&-^_.+] held the range '&'..'^', which includes these.
    for (String bad :
        new String[] {
          "application/a/b",
          "application/x;charset=utf-8",
          "application/<x>",
          "application/x@y",
          "application/x:y",
          "application/x=y",
          "application/x?y",
          "application/x[y]",
          "application/x*y",
          "application/x,y",
          "application/x(y)",
          "application/x'y"
        }) {
      assertThat(Packer.isValidMediaType(bad)).as(bad).isFalse();
    }
  }

  @Example
  void realMediaTypesAreAccepted() {
    for (String good :
        new String[] {
          MediaTypes.OCI_MANIFEST,
          MediaTypes.OCI_INDEX,
          MediaTypes.OCI_EMPTY,
          "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
          "application/vnd.dev.sigstore.bundle.v0.3+json",
          "text/plain",
          "application/x-tar",
          "application/vnd.example.a#b$c&d^e_f"
        }) {
      assertThat(Packer.isValidMediaType(good)).as(good).isTrue();
    }
  }

  @Example
  void nullAndHalvesAreRefused() {
    assertThat(Packer.isValidMediaType(null)).isFalse();
    assertThat(Packer.isValidMediaType("application")).isFalse();
    assertThat(Packer.isValidMediaType("application/")).isFalse();
    assertThat(Packer.isValidMediaType("/json")).isFalse();
  }
}
