package dev.stevedore.content.remote.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real helper protocol against {@code docker-credential-stevedoretest}, a helper script
 * that the build puts on PATH (src/test/helpers) and that keeps credentials under a directory named
 * by {@code STEVEDORE_TEST_HELPER_DIR} (set by the build to target/credential-helper).
 */
class CredentialHelperTest {
  @TempDir Path dir;
  private final CredentialHelper helper = new CredentialHelper("stevedoretest");

  @BeforeEach
  void clean() throws Exception {
    helper.erase("registry.example.com");
    helper.erase("tokens.example.com");
  }

  @Test
  void storeThenGetThenErase() throws Exception {
    helper.store("registry.example.com", Credential.basic("erin", "pw"));
    assertThat(helper.credential("registry.example.com")).isEqualTo(Credential.basic("erin", "pw"));
    helper.erase("registry.example.com");
    assertThat(helper.credential("registry.example.com").isEmpty()).isTrue();
  }

  @Test
  void anIdentityTokenTravelsAsTheTokenUser() throws Exception {
    helper.store("tokens.example.com", Credential.identityToken("idt"));
    assertThat(helper.credential("tokens.example.com").refreshToken()).isEqualTo("idt");
  }

  @Test
  void aMissingHelperSaysWhatToInstall() {
    assertThatThrownBy(() -> new CredentialHelper("does-not-exist").credential("x"))
        .hasMessageContaining("docker-credential-does-not-exist not found on PATH");
  }

  @Test
  void dockerConfigUsesTheHelperNamedByCredHelpers() throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"credHelpers\":{\"registry.example.com\":\"stevedoretest\"}}");
    DockerConfigStore store = DockerConfigStore.open(config);
    store.store("registry.example.com", Credential.basic("frank", "pw"));
    assertThat(Files.readString(config)).doesNotContain("frank");
    assertThat(helper.credential("registry.example.com").username()).isEqualTo("frank");
    assertThat(store.credential("registry.example.com").username()).isEqualTo("frank");
  }
}
