package dev.stevedore.content.remote.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigStoreTest {
  @TempDir Path dir;

  private Path config(String json) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsBase64AuthOfAHost() throws Exception {
    DockerConfigStore store =
        DockerConfigStore.open(
            config("{\"auths\":{\"localhost:5000\":{\"auth\":\"" + b64("alice:s3cr:et") + "\"}}}"));
    Credential c = store.credential("localhost:5000");
    assertThat(c.username()).isEqualTo("alice");
    assertThat(c.password()).isEqualTo("s3cr:et");
  }

  @Test
  void readsAnIdentityToken() throws Exception {
    DockerConfigStore store =
        DockerConfigStore.open(
            config(
                "{\"auths\":{\"registry.example.com\":{\"auth\":\""
                    + b64("<token>:")
                    + "\",\"identitytoken\":\"refresh-me\"}}}"));
    assertThat(store.credential("registry.example.com").refreshToken()).isEqualTo("refresh-me");
  }

  @Test
  void dockerHubAliasesShareTheLegacyKey() throws Exception {
    DockerConfigStore store =
        DockerConfigStore.open(
            config(
                "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                    + b64("bob:pw")
                    + "\"}}}"));
    assertThat(store.credential("docker.io").username()).isEqualTo("bob");
    assertThat(store.credential("registry-1.docker.io").username()).isEqualTo("bob");
    assertThat(store.credential("index.docker.io").username()).isEqualTo("bob");
  }

  @Test
  void keysWrittenAsUrlsAreFound() throws Exception {
    DockerConfigStore store =
        DockerConfigStore.open(
            config(
                "{\"auths\":{\"https://registry.example.com/v2/\":{\"auth\":\""
                    + b64("carol:pw")
                    + "\"}}}"));
    assertThat(store.credential("registry.example.com").username()).isEqualTo("carol");
  }

  @Test
  void anUnknownHostIsAnonymous() throws Exception {
    DockerConfigStore store = DockerConfigStore.open(config("{\"auths\":{}}"));
    assertThat(store.credential("ghcr.io").isEmpty()).isTrue();
    assertThat(DockerConfigStore.open(dir.resolve("missing.json")).credential("ghcr.io").isEmpty())
        .isTrue();
  }

  @Test
  void storeKeepsOtherFieldsAndIsOwnerOnly() throws Exception {
    Path file =
        config(
            "{\"auths\":{\"a.example\":{\"auth\":\"" + b64("a:b") + "\"}},\"psFormat\":\"table\"}");
    DockerConfigStore store = DockerConfigStore.open(file);
    store.store("localhost:5000", Credential.basic("dave", "pw"));
    String written = Files.readString(file);
    assertThat(written).contains("psFormat").contains("a.example").contains(b64("dave:pw"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(store.credential("localhost:5000")).isEqualTo(Credential.basic("dave", "pw"));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config.json");
    }
  }

  @Test
  void eraseRemovesOnlyThatHost() throws Exception {
    Path file =
        config(
            "{\"auths\":{\"a.example\":{\"auth\":\""
                + b64("a:b")
                + "\"},\"b.example\":{\"auth\":\""
                + b64("c:d")
                + "\"}}}");
    DockerConfigStore store = DockerConfigStore.open(file);
    store.erase("a.example");
    assertThat(store.credential("a.example").isEmpty()).isTrue();
    assertThat(store.credential("b.example").username()).isEqualTo("c");
    store.erase("never.example");
  }

  @Test
  void aBrokenConfigNamesTheFile() throws Exception {
    Path file = config("{not json");
    assertThatThrownBy(() -> DockerConfigStore.open(file).credential("x"))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void badBase64IsAClearErrorWithoutTheSecret() throws Exception {
    Path file = config("{\"auths\":{\"x.example\":{\"auth\":\"!!!secret!!!\"}}}");
    assertThatThrownBy(() -> DockerConfigStore.open(file).credential("x.example"))
        .hasMessageContaining("not valid base64")
        .hasMessageNotContaining("secret!!!");
  }

  @Test
  void credHelpersWinForTheirHostAndCredsStoreForTheRest() throws Exception {
    Map<String, RecordingStore> helpers =
        Map.of("perhost", new RecordingStore(), "default", new RecordingStore());
    DockerConfigStore store =
        new DockerConfigStore(
            config(
                "{\"credHelpers\":{\"ghcr.io\":\"perhost\"},\"credsStore\":\"default\",\"auths\":{\"ghcr.io\":{}}}"),
            helpers::get);
    store.store("ghcr.io", Credential.basic("u", "p"));
    store.store("quay.io", Credential.basic("v", "q"));
    assertThat(java.util.Objects.requireNonNull(helpers.get("perhost")).stored)
        .containsOnlyKeys("ghcr.io");
    assertThat(java.util.Objects.requireNonNull(helpers.get("default")).stored)
        .containsOnlyKeys("quay.io");
    assertThat(store.credential("quay.io").username()).isEqualTo("v");
  }

  @Test
  void defaultConfigFileHonoursDockerConfig() {
    assertThat(DockerConfigStore.defaultConfigFile(Map.of("DOCKER_CONFIG", "/etc/x")))
        .isEqualTo(Path.of("/etc/x/config.json"));
    assertThat(DockerConfigStore.defaultConfigFile(Map.of()).toString())
        .endsWith(".docker/config.json");
  }

  @Test
  void toStringNeverShowsSecrets() {
    Credential c = new Credential("user", "hunter2", "refresh-secret", "access-secret");
    assertThat(c.toString())
        .contains("user")
        .doesNotContain("hunter2", "refresh-secret", "access-secret");
  }

  static final class RecordingStore implements CredentialStore {
    final java.util.Map<String, Credential> stored = new java.util.HashMap<>();

    @Override
    public Credential credential(String registry) {
      return stored.getOrDefault(registry, Credential.EMPTY);
    }

    @Override
    public void store(String registry, Credential credential) {
      stored.put(registry, credential);
    }

    @Override
    public void erase(String registry) {
      stored.remove(registry);
    }
  }
}
