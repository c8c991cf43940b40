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

/**
 * Credentials given on the command line belong to one registry (issue 14 item 6): two registries
 * with different htpasswd files, a copy from one to the other.
 */
@Timeout(120)
class CliCopyCredentialsTest {
  private static final Path AUTH = TestDirs.unchecked(() -> TestDirs.create("cli-copy-creds"));
  private static final Path ALICE_FILE =
      TestDirs.unchecked(
          () -> AuthFixtures.htpasswd(AUTH.resolve("a.htpasswd"), Map.of("alice", "apple")));
  private static final Path BOB_FILE =
      TestDirs.unchecked(
          () -> AuthFixtures.htpasswd(AUTH.resolve("b.htpasswd"), Map.of("bob", "banana")));

  @RegisterExtension
  static final RegistryExtension A =
      new RegistryExtension(RegistryConfig.builder().htpasswd("registry-a", ALICE_FILE).build());

  @RegisterExtension
  static final RegistryExtension B =
      new RegistryExtension(RegistryConfig.builder().htpasswd("registry-b", BOB_FILE).build());

  @TempDir Path dir;
  private CliRunner cli;
  private String a;
  private String b;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("hello.txt"), "hello");
    cli = new CliRunner(dir, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    a = A.registry().hostPort();
    b = B.registry().hostPort();
    assertThat(a).isNotEqualTo(b);
    CliRunner.Result push =
        cli.runWithInput(
            "apple", "push", a + "/creds/app:v1", "hello.txt", "-u", "alice", "--password-stdin");
    assertThat(push.exitCode()).as(push.toString()).isZero();
  }

  @Test
  void eachSideGetsItsOwnCredentials() {
    CliRunner.Result copy =
        cli.runWithInput(
            "banana",
            "copy",
            a + "/creds/app:v1",
            b + "/creds/app:v1",
            "--from-username",
            "alice",
            "--from-password",
            "apple",
            "-u",
            "bob",
            "--password-stdin");
    assertThat(copy.exitCode()).as(copy.toString()).isZero();
    CliRunner.Result check =
        cli.runWithInput("banana", "resolve", b + "/creds/app:v1", "-u", "bob", "--password-stdin");
    assertThat(check.exitCode()).as(check.toString()).isZero();
  }

  @Test
  void toFlagsWorkLikeTheBareOnes() {
    CliRunner.Result copy =
        cli.runWithInput(
            "apple",
            "copy",
            a + "/creds/app:v1",
            b + "/creds/app:v2",
            "--from-username",
            "alice",
            "--from-password-stdin",
            "--to-username",
            "bob",
            "--to-password",
            "banana");
    assertThat(copy.exitCode()).as(copy.toString()).isZero();
  }

  @Test
  void aBareUsernameIsNeverSentToTheSource() {
    CliRunner.Result copy =
        cli.runWithInput(
            "banana",
            "copy",
            a + "/creds/app:v1",
            b + "/creds/app:v3",
            "-u",
            "bob",
            "--password-stdin");
    assertThat(copy.exitCode()).isEqualTo(Main.FAILED);
    // the source was asked without credentials (none were given for it), not with bob's
    assertThat(copy.err())
        .contains(a)
        .contains("requires authentication")
        .doesNotContain("rejected")
        .doesNotContain("banana");
  }

  @Test
  void theSourceCanUseItsOwnDockerConfig() throws Exception {
    Path config = dir.resolve("a-config.json");
    CliRunner.Result login =
        cli.runWithInput(
            "apple",
            "login",
            a,
            "-u",
            "alice",
            "--password-stdin",
            "--registry-config",
            config.toString());
    assertThat(login.exitCode()).as(login.toString()).isZero();
    assertThat(Files.readString(config)).contains(a);
    CliRunner.Result copy =
        cli.runWithInput(
            "banana",
            "copy",
            a + "/creds/app:v1",
            b + "/creds/app:v4",
            "--from-registry-config",
            config.toString(),
            "-u",
            "bob",
            "--password-stdin");
    assertThat(copy.exitCode()).as(copy.toString()).isZero();
  }

  @Test
  void twoPasswordsOnStandardInputAreAUsageError() {
    CliRunner.Result copy =
        cli.runWithInput(
            "apple\nbanana",
            "copy",
            a + "/creds/app:v1",
            b + "/creds/app:v5",
            "--from-username",
            "alice",
            "--from-password-stdin",
            "--to-username",
            "bob",
            "--to-password-stdin");
    assertThat(copy.exitCode()).isEqualTo(Main.USAGE);
  }

  @Test
  void helpSaysTheBareUsernameIsTheDestinations() {
    CliRunner.Result help = cli.run("copy", "--help");
    assertThat(help.out()).contains("--from-username", "--to-username", "destination only");
  }
}
