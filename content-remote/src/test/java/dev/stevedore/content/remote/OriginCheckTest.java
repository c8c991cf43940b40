package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.ContentException;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Upload Locations are followed only on the registry's own origin (SSRF protection). */
class OriginCheckTest {
  private final RegistryClient client =
      new RegistryClient(
          "registry.example:5000",
          RegistryOptions.defaults(),
          java.util.function.UnaryOperator.identity());
  private final URI request = URI.create("https://registry.example:5000/v2/app/blobs/uploads/");

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void aRelativeLocationResolvesOnTheRegistry() throws Exception {
    assertThat(client.sameOrigin(request, "/v2/app/blobs/uploads/123?_state=x", "upload Location"))
        .isEqualTo(URI.create("https://registry.example:5000/v2/app/blobs/uploads/123?_state=x"));
  }

  @Test
  void anAbsoluteLocationOnTheSameOriginIsFollowed() throws Exception {
    assertThat(
            client
                .sameOrigin(
                    request,
                    "https://REGISTRY.example:5000/v2/app/blobs/uploads/1",
                    "upload Location")
                .getPath())
        .isEqualTo("/v2/app/blobs/uploads/1");
  }

  @Test
  void aLocationOnAnotherHostIsRefused() {
    assertThatThrownBy(
            () -> client.sameOrigin(request, "https://attacker.example/collect", "upload Location"))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("leaves the registry's origin");
  }

  @Test
  void aLocationOnAnotherPortIsRefused() {
    assertThatThrownBy(
            () ->
                client.sameOrigin(request, "https://registry.example:6000/v2/x", "upload Location"))
        .isInstanceOf(ContentException.class);
  }

  @Test
  void aDowngradeToPlainHttpIsRefused() {
    assertThatThrownBy(
            () ->
                client.sameOrigin(request, "http://registry.example:5000/v2/x", "upload Location"))
        .isInstanceOf(ContentException.class);
  }

  @Test
  void theDefaultPortIsTheSameOriginAsNoPort() throws Exception {
    try (RegistryClient standard =
        new RegistryClient(
            "registry.example",
            RegistryOptions.defaults(),
            java.util.function.UnaryOperator.identity())) {
      URI target =
          standard.sameOrigin(
              URI.create("https://registry.example/v2/"),
              "https://registry.example:443/v2/app/blobs/uploads/1",
              "upload Location");
      assertThat(target.getPort()).isEqualTo(443);
    }
  }
}
