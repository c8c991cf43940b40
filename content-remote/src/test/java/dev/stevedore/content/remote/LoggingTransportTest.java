package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingTransportTest {
  @Test
  void credentialsAreRedactedToTheirScheme() {
    String logged =
        LoggingTransport.headers(
            Map.of(
                "Authorization",
                "Bearer eyJhbGciOi.secret.token",
                "Accept",
                "application/vnd.oci.image.manifest.v1+json"));
    assertThat(logged)
        .contains("Authorization: Bearer ***", "Accept: application/vnd.oci.image.manifest.v1+json")
        .doesNotContain("eyJhbGciOi", "secret");
    assertThat(LoggingTransport.headers(Map.of("authorization", "Basic YWxpY2U6cHc=")))
        .contains("Basic ***")
        .doesNotContain("YWxpY2U6cHc=");
  }
}
