package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OciUriTest {
  @Test
  void ensureAddsTheSchemeOnlyWhenNoSchemeIsThere() {
    assertThat(OciUri.ensureScheme("ghcr.io/nvidia/bundle:v1"))
        .isEqualTo("oci://ghcr.io/nvidia/bundle:v1");
    assertThat(OciUri.ensureScheme("oci://ghcr.io/nvidia/bundle:v1"))
        .isEqualTo("oci://ghcr.io/nvidia/bundle:v1");
    assertThat(OciUri.ensureScheme("https://ghcr.io/nvidia")).isEqualTo("https://ghcr.io/nvidia");
  }

  @Test
  void trimRemovesOnlyTheOciScheme() {
    assertThat(OciUri.trimScheme("oci://localhost:5000/a:b")).isEqualTo("localhost:5000/a:b");
    assertThat(OciUri.trimScheme("localhost:5000/a:b")).isEqualTo("localhost:5000/a:b");
    assertThat(OciUri.trimScheme("https://x/y")).isEqualTo("https://x/y");
    assertThat(OciUri.hasScheme("oci://x/y")).isTrue();
    assertThat(LegacyMediaTypes.DEFAULT_KNOWN)
        .containsExactlyInAnyOrder("application/tar", "application/tar+gzip");
  }
}
