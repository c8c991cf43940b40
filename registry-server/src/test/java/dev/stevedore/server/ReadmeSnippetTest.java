package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Serve a store as a registry" snippet, compiled and run (with a temporary
 * directory).
 */
@Timeout(60)
class ReadmeSnippetTest {
  @TempDir Path mirror;

  @Test
  void theReadmeSnippetServesLayouts() throws Exception {
    String url;
    // README snippet (Path.of("/srv/mirror") there)
    try (RegistryServer server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.ociLayouts(mirror))
            .port(0)
            .start()) {
      System.out.println(server.url()); // http://127.0.0.1:<the port picked>
      url = server.url().toString();
      assertThat(new Http(server.url()).get("/v2/").statusCode()).isEqualTo(200);
    }
    assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");
  }
}
