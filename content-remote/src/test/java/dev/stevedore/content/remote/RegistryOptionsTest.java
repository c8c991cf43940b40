package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import io.vertx.core.http.HttpClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One immutable options value, validated where it is written (as Caffeine's builder does). */
class RegistryOptionsTest {

  @Test
  void theDefaultsAreThoseTheJavadocStates() {
    RegistryOptions options = RegistryOptions.defaults();

    assertThat(options.plainHttp()).isFalse();
    assertThat(options.vertx()).isNull();
    assertThat(options.userAgent()).isEqualTo("stevedore/0.1");
    assertThat(options.headers()).isEmpty();
    assertThat(options.manifestMediaTypes())
        .isEqualTo(RegistryOptions.DEFAULT_MANIFEST_MEDIA_TYPES);
    assertThat(options.tagListMaxPages()).isZero();
    assertThat(options.referrerListMaxPages()).isZero();
    assertThat(options.maxMetadataBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(options.referrersGc()).isTrue();
    assertThat(options.chunkedUploadThreshold()).isEqualTo(Long.MAX_VALUE);
    assertThat(options.uploadChunkSize()).isEqualTo(8 * 1024 * 1024);
    assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.retryPolicy()).isEqualTo(RetryPolicy.defaults());
    assertThat(options.poolOptions().getHttp1MaxSize()).isEqualTo(16);
    assertThat(options.clientCertificate()).isNull();
    assertThat(options.insecure()).isFalse();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the builder must refuse it
  void settersFailAtOnceOnAValueOutOfRange() {
    RegistryOptions.Builder builder = RegistryOptions.builder();

    assertThatThrownBy(() -> builder.tagListPageSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tag list page size");
    assertThatThrownBy(() -> builder.tagListMaxPages(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.referrerListMaxPages(-2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.idleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.maxMetadataBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.chunkedUploads(0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.manifestMediaTypes(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.credentials(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.userAgent("a\r\nInjected: yes"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void extraHeadersAreValidated() {
    RegistryOptions.Builder builder = RegistryOptions.builder();

    assertThatThrownBy(() -> builder.header("Bad Name", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid header name");
    assertThatThrownBy(() -> builder.header("X-Ok", "split\r\nInjected: yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line break");
    assertThatThrownBy(() -> builder.header("Content-Length", "5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("managed by the HTTP client");
  }

  @Test
  void missingCertificateFilesFailWhereTheyAreNamed() {
    Path missing = Path.of("/nonexistent/stevedore/client.pem");

    assertThatThrownBy(() -> RegistryOptions.builder().clientCertificate(missing, missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
    assertThatThrownBy(() -> RegistryOptions.builder().trustCertificates(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CA file");
  }

  @Test
  void theRecordCopiesWhatCallersCouldChange() {
    HttpClientOptions http = new HttpClientOptions().setConnectTimeout(1234);
    RegistryOptions options =
        RegistryOptions.builder().httpClientOptions(http).build().toBuilder()
            .header("X-Team", "blue")
            .build();
    http.setConnectTimeout(1);
    options.httpClientOptions().setConnectTimeout(2);

    assertThat(options.httpClientOptions().getConnectTimeout()).isEqualTo(1234);
    assertThat(options.headers()).containsEntry("x-team", "blue");
    assertThatThrownBy(() -> options.headers().put("X-Other", "1"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theCanonicalConstructorValidatesToo() {
    RegistryOptions valid = RegistryOptions.defaults();

    assertThatThrownBy(
            () ->
                new RegistryOptions(
                    false,
                    null,
                    valid.httpClientOptions(),
                    valid.poolOptions(),
                    valid.userAgent(),
                    valid.headers(),
                    valid.manifestMediaTypes(),
                    -5,
                    0,
                    0,
                    0,
                    0,
                    valid.maxMetadataBytes(),
                    true,
                    valid.chunkedUploadThreshold(),
                    valid.uploadChunkSize(),
                    valid.idleTimeout(),
                    valid.credentials(),
                    valid.retryPolicy(),
                    false,
                    List.of(),
                    null,
                    false,
                    valid.warningHandler(),
                    valid.referrersWarningHandler()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tag list page size");
  }

  @Test
  void aRegistryAndItsRepositoriesShareOneValue() throws Exception {
    RegistryOptions options =
        RegistryOptions.builder()
            .plainHttp()
            .idleTimeout(Duration.ofSeconds(7))
            .credentials(StaticCredentials.of("registry.example", Credential.basic("u", "p")))
            .build();

    try (Registry registry = Registry.builder().host("registry.example").options(options).build()) {
      assertThat(registry.options()).isEqualTo(options).hasSameHashCodeAs(options);
      assertThat(registry.repository("a/b").options()).isSameAs(registry.options());
    }
  }

  @Test
  void aRepositoryBuilderIsAShortcutForARegistryOfItsOwn() throws Exception {
    try (Repository repository =
        Repository.builder()
            .reference("registry.example:5000/team/app")
            .plainHttp()
            .userAgent("probe/1")
            .tagListMaxPages(3)
            .build()) {
      assertThat(repository.registry()).isEqualTo("registry.example:5000");
      assertThat(repository.baseUrl().toString()).isEqualTo("http://registry.example:5000");
      assertThat(repository.options().userAgent()).isEqualTo("probe/1");
      assertThat(repository.options().tagListMaxPages()).isEqualTo(3);
    }
  }

  @Test
  void equalOptionsAreEqualValues() {
    RegistryOptions one =
        RegistryOptions.builder().header("X-A", "1").idleTimeout(Duration.ofSeconds(3)).build();

    assertThat(one.toBuilder().build()).isEqualTo(one).hasSameHashCodeAs(one);
    assertThat(one.toBuilder().header("X-A", "2").build()).isNotEqualTo(one);
    assertThat(
            one.toBuilder().httpClientOptions(new HttpClientOptions().setConnectTimeout(5)).build())
        .isNotEqualTo(one);
  }

  @Test
  void theToStringShowsNoSecret() {
    RegistryOptions options =
        RegistryOptions.builder()
            .credentials(StaticCredentials.of("h", Credential.basic("user", "s3cret-password")))
            .header("X-Api-Key", "s3cret-key")
            .build();

    assertThat(options.toString()).doesNotContain("s3cret").contains("X-Api-Key");
  }
}
