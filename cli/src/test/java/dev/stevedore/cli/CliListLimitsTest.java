package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.server.RegistryServer;
import dev.stevedore.server.RepositoryProvider;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-list-pages} and {@code --list-page-size} against a registry paging its tag list one
 * tag at a time: Stevedore's own registry server on 127.0.0.1 (docker-registry 2.8 ignores {@code
 * n} for tag lists and answers every tag at once).
 */
@Timeout(120)
class CliListLimitsTest {
  @TempDir Path dir;
  private CliRunner cli;
  private String repo;
  private RegistryServer server;

  @BeforeEach
  void setUp() throws Exception {
    Path src = dir.resolve("src");
    DemoCommand.writeSample(src);
    cli = new CliRunner(src, Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()));
    server =
        RegistryServer.builder()
            .host("127.0.0.1")
            .port(0)
            .repositories(RepositoryProvider.memory())
            .start();
    repo = server.hostPort() + "/cli/pages";
    CliRunner.Result push = cli.run("push", repo + ":a", "README.txt");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    CliRunner.Result tag = cli.run("tag", repo + ":a", "b", "c", "d");
    assertThat(tag.exitCode()).as(tag.toString()).isZero();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aListingThatNeedsMorePagesThanAllowedFailsNamingTheFlag() {
    CliRunner.Result tags =
        cli.run("repo", "tags", "--list-page-size", "1", "--max-list-pages", "2", repo);
    assertThat(tags.exitCode()).as(tags.toString()).isEqualTo(1);
    assertThat(tags.err()).contains("more than 2 pages").contains("--max-list-pages");
    assertThat(tags.err()).doesNotContain("tagListMaxPages");
  }

  @Test
  void aListingWithinTheLimitListsEveryTag() {
    CliRunner.Result tags =
        cli.run("repo", "tags", "--list-page-size", "1", "--max-list-pages", "10", repo);
    assertThat(tags.exitCode()).as(tags.toString()).isZero();
    assertThat(tags.out().lines()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aLimitBelowOneIsAUsageError() {
    for (String flag : new String[] {"--max-list-pages", "--list-page-size"}) {
      for (String value : new String[] {"0", "-1"}) {
        CliRunner.Result tags = cli.run("repo", "tags", flag, value, repo);
        assertThat(tags.exitCode()).as(tags.toString()).isEqualTo(Main.USAGE);
        assertThat(tags.err()).contains(flag).contains("at least 1");
      }
    }
  }
}
