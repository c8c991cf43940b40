package dev.stevedore.content.remote.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChallengeTest {
  @Test
  void parsesABearerChallengeWithCommasInsideQuotes() {
    Challenge c =
        Challenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\"")
            .orElseThrow();
    assertThat(c.scheme()).isEqualTo(Challenge.BEARER);
    assertThat(c.parameter("realm")).isEqualTo("https://auth.docker.io/token");
    assertThat(c.parameter("service")).isEqualTo("registry.docker.io");
    assertThat(c.parameter("scope")).isEqualTo("repository:samalba/my-app:pull,push");
  }

  @Test
  void parsesBasicWithARealm() {
    Challenge c = Challenge.parse("Basic realm=\"Registry Realm\"").orElseThrow();
    assertThat(c.scheme()).isEqualTo(Challenge.BASIC);
    assertThat(c.parameter("REALM")).isEqualTo("Registry Realm");
  }

  @Test
  void prefersBearerWhenBothAreOffered() {
    Challenge c =
        Challenge.parse("Basic realm=\"x\", Bearer realm=\"https://t\",service=\"s\"")
            .orElseThrow();
    assertThat(c.scheme()).isEqualTo(Challenge.BEARER);
    assertThat(c.parameter("service")).isEqualTo("s");
  }

  @Test
  void unquotedValuesAndEscapesAreRead() {
    Challenge c =
        Challenge.parse("bearer realm=https://t.example/token, service=\"a \\\"quoted\\\" b\"")
            .orElseThrow();
    assertThat(c.parameter("realm")).isEqualTo("https://t.example/token");
    assertThat(c.parameter("service")).isEqualTo("a \"quoted\" b");
  }

  @Test
  void unsupportedOrMissingHeadersGiveNothing() {
    assertThat(Challenge.parse(null)).isEmpty();
    assertThat(Challenge.parse("")).isEmpty();
    assertThat(Challenge.parse("Negotiate abc==")).isEmpty();
  }
}
