package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** login/logout and authenticated commands against a real registry with htpasswd basic auth. */
@Timeout(60)
class CliAuthTest {
  private static final Path HTPASSWD =
      TestDirs.unchecked(
          () ->
              AuthFixtures.htpasswd(
                  TestDirs.create("cli-auth").resolve("htpasswd"), Map.of("bob", "builder")));

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(RegistryConfig.builder().htpasswd("stevedore-cli", HTPASSWD).build());

  @TempDir Path dir;
  private CliRunner cli;
  private String host;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("hello.txt"), "hello");
    cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    host = REGISTRY.registry().hostPort();
  }

  @Test
  void loginStoresCredentialsThatLaterCommandsUse() throws Exception {
    CliRunner.Result login =
        cli.runWithInput("builder\n", "login", host, "-u", "bob", "--password-stdin");
    assertThat(login.exitCode()).as(login.toString()).isZero();
    assertThat(login.out()).contains("Login Succeeded");
    String config = Files.readString(dir.resolve("docker/config.json"));
    assertThat(config).contains(host).doesNotContain("builder\"");

    CliRunner.Result push = cli.run("push", host + "/auth/app:v1", "hello.txt");
    assertThat(push.exitCode()).as(push.toString()).isZero();

    assertThat(cli.run("logout", host).exitCode()).isZero();
    CliRunner.Result denied = cli.run("resolve", host + "/auth/app:v1");
    assertThat(denied.exitCode()).isEqualTo(Main.FAILED);
    assertThat(denied.err()).contains("requires authentication").contains(host);
  }

  @Test
  void aWrongPasswordIsRefusedAndNothingIsSaved() {
    CliRunner.Result login =
        cli.runWithInput("wrong\n", "login", host, "-u", "bob", "--password-stdin");
    assertThat(login.exitCode()).isEqualTo(Main.FAILED);
    assertThat(login.err())
        .contains("rejected the credentials")
        .contains(host)
        .doesNotContain("wrong");
    assertThat(Files.exists(dir.resolve("docker/config.json"))).isFalse();
  }

  @Test
  void usernameAndPasswordStdinWorkWithoutLogin() {
    CliRunner.Result push =
        cli.runWithInput(
            "builder",
            "push",
            host + "/auth/direct:v1",
            "hello.txt",
            "-u",
            "bob",
            "--password-stdin");
    assertThat(push.exitCode()).as(push.toString()).isZero();
  }
}
