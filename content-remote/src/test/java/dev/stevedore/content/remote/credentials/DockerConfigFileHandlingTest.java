package dev.stevedore.content.remote.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 7: the config file is handled as docker handles it. A symbolic link is written
 * through, a new directory is owner-only, a password stored in the file warns once.
 */
class DockerConfigFileHandlingTest {
  @TempDir Path dir;

  private final List<String> warnings = new ArrayList<>();

  private DockerConfigStore store(Path file) {
    return new DockerConfigStore(
        file,
        name -> {
          throw new AssertionError("no helper expected");
        },
        warnings::add);
  }

  @Test
  void aSymlinkedConfigIsWrittenThroughNotReplaced() throws Exception {
    Path real = Files.createDirectories(dir.resolve("dotfiles")).resolve("docker-config.json");
    Files.writeString(real, "{\"auths\":{},\"psFormat\":\"table\"}");
    Path link = Files.createDirectories(dir.resolve("home/.docker")).resolve("config.json");
    Files.createSymbolicLink(link, Path.of("../../dotfiles/docker-config.json"));

    store(link).store("localhost:5000", Credential.basic("alice", "pw"));

    assertThat(Files.isSymbolicLink(link)).as("config.json is still a link").isTrue();
    assertThat(Files.readString(real)).contains("localhost:5000").contains("psFormat");
    assertThat(store(link).credential("localhost:5000")).isEqualTo(Credential.basic("alice", "pw"));
  }

  @Test
  void aDanglingSymlinkIsWrittenThroughToTheFileItNames() throws Exception {
    Path link = dir.resolve("config.json");
    Files.createSymbolicLink(link, dir.resolve("elsewhere.json"));
    store(link).store("localhost:5000", Credential.basic("alice", "pw"));
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(dir.resolve("elsewhere.json")).exists();
  }

  @Test
  void aNewConfigDirectoryIsOwnerOnlyAndTheFileToo() throws Exception {
    Path file = dir.resolve("new/.docker/config.json");
    store(file).store("localhost:5000", Credential.basic("alice", "pw"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void anExistingFileReadableByOthersBecomesOwnerOnly() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    store(file).store("localhost:5000", Credential.basic("alice", "pw"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void storingAPasswordInTheFileWarnsOnceNamingTheFileAndNotTheSecret() throws Exception {
    Path file = dir.resolve("config.json");
    store(file).store("localhost:5000", Credential.basic("alice", "s3cret-pw"));
    store(file).store("localhost:5001", Credential.basic("bob", "other-pw"));
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("stored unencrypted in " + file.toAbsolutePath())
        .contains("configure a credential helper")
        .doesNotContain("s3cret-pw");
  }

  @Test
  void storingThroughACredentialHelperDoesNotWarn() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"credsStore\":\"fake\"}");
    Map<String, Credential> saved = new HashMap<>();
    DockerConfigStore store =
        new DockerConfigStore(
            file,
            name ->
                new CredentialStore() {
                  @Override
                  public Credential credential(String registry) {
                    return saved.getOrDefault(registry, Credential.EMPTY);
                  }

                  @Override
                  public void store(String registry, Credential credential) {
                    saved.put(registry, credential);
                  }

                  @Override
                  public void erase(String registry) {
                    saved.remove(registry);
                  }
                },
            warnings::add);
    store.store("localhost:5000", Credential.basic("alice", "pw"));
    assertThat(saved).containsKey("localhost:5000");
    assertThat(warnings).isEmpty();
  }
}
