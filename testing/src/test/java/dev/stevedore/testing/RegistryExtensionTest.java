package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension hands a running registry to the class, as a field and as a parameter. */
@Timeout(30)
class RegistryExtensionTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @Test
  void theRegistryAnswersTheDistributionApi() throws Exception {
    HttpURLConnection connection =
        (HttpURLConnection) new URL(REGISTRY.registry().baseUrl() + "/v2/").openConnection();
    try {
      assertThat(connection.getResponseCode()).isEqualTo(200);
      assertThat(connection.getHeaderField("Docker-Distribution-Api-Version"))
          .isEqualTo("registry/2.0");
    } finally {
      connection.disconnect();
    }
  }

  @Test
  void aParameterReceivesTheSameRegistry(TestRegistry registry) {
    assertThat(registry).isEqualTo(REGISTRY.registry());
  }

  @Test
  void aStartedRegistryListensOnLoopbackWithItsOwnStorage() {
    TestRegistry registry = REGISTRY.registry();
    if (registry.source() == TestRegistry.Source.ENVIRONMENT) {
      assertThat(registry.storage()).isNull();
      return;
    }
    assertThat(registry.host()).isEqualTo("127.0.0.1");
    Path storage =
        Objects.requireNonNull(registry.storage(), "a started registry has a storage directory");
    assertThat(Files.isDirectory(storage)).isTrue();
  }
}
