package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on OCI layouts, run in-process. */
class CliLayoutTest {
  @TempDir Path dir;
  private CliRunner cli;
  private Path src;

  @BeforeEach
  void setUp() throws Exception {
    src = dir.resolve("src");
    DemoCommand.writeSample(src);
    cli = new CliRunner(src, Map.of());
  }

  private String layout(String name) {
    return "oci:" + dir.resolve(name);
  }

  @Test
  void pushThenPullGivesIdenticalFiles() throws Exception {
    CliRunner.Result push =
        cli.run(
            "push",
            layout("l") + ":v1",
            "README.txt:text/plain",
            "config",
            "--artifact-type",
            "application/vnd.test.bundle");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    assertThat(push.out()).contains("Digest: sha256:");

    CliRunner.Result pull =
        cli.run("pull", layout("l") + ":v1", "-o", dir.resolve("out").toString());
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
    assertThat(pull.out()).contains("Downloaded README.txt", "Downloaded config");
    assertThat(DemoCommand.sameTree(src, dir.resolve("out"))).isTrue();
  }

  @Test
  void copyRecursiveCarriesReferrersAndDiscoverShowsTwoLevels() throws Exception {
    assertThat(cli.run("push", layout("a") + ":v1", "README.txt").exitCode()).isZero();
    CliRunner.Result sig =
        cli.run(
            "--format",
            "json",
            "attach",
            layout("a") + ":v1",
            "--artifact-type",
            "application/vnd.test.signature",
            "-a",
            "who=alice");
    assertThat(sig.exitCode()).as(sig.toString()).isZero();
    String sigDigest = new ObjectMapper().readTree(sig.out()).get("digest").asText();
    CliRunner.Result counter =
        cli.run(
            "attach",
            layout("a") + "@" + sigDigest,
            "--artifact-type",
            "application/vnd.test.countersignature");
    assertThat(counter.exitCode()).as(counter.toString()).isZero();

    CliRunner.Result copy = cli.run("copy", "-r", layout("a") + ":v1", layout("b") + ":v1");
    assertThat(copy.exitCode()).as(copy.toString()).isZero();

    CliRunner.Result tree = cli.run("discover", layout("b") + ":v1");
    assertThat(tree.exitCode()).as(tree.toString()).isZero();
    assertThat(tree.out())
        .contains(
            "application/vnd.test.signature", sigDigest, "application/vnd.test.countersignature");
    String[] lines = tree.out().split("\n");
    int sigLine = indexOf(lines, sigDigest);
    int counterLine = indexOf(lines, "application/vnd.test.countersignature");
    assertThat(counterLine).isGreaterThan(sigLine);
    assertThat(indent(lines[counterLine])).isGreaterThan(indent(lines[sigLine]));

    CliRunner.Result json = cli.run("discover", layout("b") + ":v1", "--format", "json");
    JsonNode referrers = new ObjectMapper().readTree(json.out()).get("referrers");
    assertThat(referrers).hasSize(1);
    assertThat(referrers.get(0).get("digest").asText()).isEqualTo(sigDigest);
    assertThat(referrers.get(0).get("referrers")).hasSize(1);
  }

  @Test
  void copyWithoutRecursiveLeavesReferrersBehind() throws Exception {
    assertThat(cli.run("push", layout("a") + ":v1", "README.txt").exitCode()).isZero();
    assertThat(
            cli.run("attach", layout("a") + ":v1", "--artifact-type", "application/vnd.test.sig")
                .exitCode())
        .isZero();
    assertThat(cli.run("copy", layout("a") + ":v1", layout("b") + ":v1").exitCode()).isZero();
    CliRunner.Result json = cli.run("discover", layout("b") + ":v1", "--format", "json");
    assertThat(new ObjectMapper().readTree(json.out()).get("referrers")).isEmpty();
  }

  @Test
  void resolveTagAndRepoTags() throws Exception {
    CliRunner.Result push = cli.run("--format", "json", "push", layout("t") + ":v1", "README.txt");
    String digest = new ObjectMapper().readTree(push.out()).get("digest").asText();
    assertThat(cli.run("resolve", layout("t") + ":v1").out().trim()).isEqualTo(digest);
    assertThat(cli.run("tag", layout("t") + ":v1", "stable", "latest").exitCode()).isZero();
    assertThat(cli.run("resolve", layout("t") + ":stable").out().trim()).isEqualTo(digest);
    assertThat(cli.run("repo", "tags", layout("t")).out().split("\n"))
        .containsExactly("latest", "stable", "v1");
  }

  @Test
  void manifestFetchPrintsTheManifest() throws Exception {
    assertThat(
            cli.run(
                    "push",
                    layout("m") + ":v1",
                    "README.txt",
                    "--artifact-type",
                    "application/vnd.x")
                .exitCode())
        .isZero();
    CliRunner.Result fetch = cli.run("manifest", "fetch", layout("m") + ":v1");
    JsonNode manifest = new ObjectMapper().readTree(fetch.out());
    assertThat(manifest.get("artifactType").asText()).isEqualTo("application/vnd.x");
    assertThat(
            manifest
                .get("layers")
                .get(0)
                .get("annotations")
                .get("org.opencontainers.image.title")
                .asText())
        .isEqualTo("README.txt");
  }

  @Test
  void aBadReferenceIsAUsageError() {
    CliRunner.Result result = cli.run("copy", "localhost:5000/UPPER:v1", layout("x") + ":v1");
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("invalid repository \"UPPER\"");
  }

  @Test
  void aMissingArgumentIsAUsageError() {
    CliRunner.Result result = cli.run("copy", layout("x") + ":v1");
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("Missing required parameter");
  }

  @Test
  void aMissingLayoutIsAFailedOperationThatNamesIt() {
    CliRunner.Result result = cli.run("copy", layout("nowhere") + ":v1", layout("x") + ":v1");
    assertThat(result.exitCode()).isEqualTo(Main.FAILED);
    assertThat(result.err()).contains("nowhere");
  }

  @Test
  void anUnknownTagIsAFailedOperation() throws Exception {
    assertThat(cli.run("push", layout("u") + ":v1", "README.txt").exitCode()).isZero();
    CliRunner.Result result =
        cli.run("pull", layout("u") + ":v2", "-o", dir.resolve("o").toString());
    assertThat(result.exitCode()).isEqualTo(Main.FAILED);
    assertThat(result.err()).startsWith("Error:").contains("v2");
  }

  @Test
  void anUnreachableRegistryGivesAnActionableMessage() {
    CliRunner.Result result = cli.run("resolve", "127.0.0.1:1/nothing:v1");
    assertThat(result.exitCode()).isEqualTo(Main.FAILED);
    assertThat(result.err()).contains("reachable");
  }

  @Test
  void demoRunsTheMainJob() throws Exception {
    CliRunner.Result demo = cli.run("demo", "--dir", dir.resolve("demo").toString());
    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    assertThat(demo.out()).contains("identical to the sample", DemoCommand.SIGNATURE_TYPE);
    assertThat(Files.isRegularFile(dir.resolve("demo/mirror/index.json"))).isTrue();
  }

  @Test
  void everyCommandHasHelp() {
    CliRunner.Result help = cli.run("copy", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: stevedore copy", "--recursive", "--platform");
    assertThat(cli.run("manifest", "fetch", "--help").out())
        .contains("Usage: stevedore manifest fetch");
  }

  @Test
  void manifestPushThenDeleteOnALayout() throws Exception {
    assertThat(cli.run("push", layout("mp") + ":v1", "README.txt").exitCode()).isZero();
    Path manifest = dir.resolve("manifest.json");
    assertThat(
            cli.run("manifest", "fetch", layout("mp") + ":v1", "-o", manifest.toString())
                .exitCode())
        .isZero();
    CliRunner.Result pushed =
        cli.run(
            "--format", "json", "manifest", "push", layout("mp") + ":copy", manifest.toString());
    assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
    assertThat(cli.run("resolve", layout("mp") + ":copy").out().trim())
        .isEqualTo(cli.run("resolve", layout("mp") + ":v1").out().trim());
    CliRunner.Result deleted = cli.run("manifest", "delete", "-f", layout("mp") + ":copy");
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    assertThat(cli.run("resolve", layout("mp") + ":v1").exitCode()).isEqualTo(Main.FAILED);
  }

  @Test
  void manifestPushRefusesAFileThatIsNotJson() throws Exception {
    Path notJson = dir.resolve("not.json");
    Files.writeString(notJson, "hello");
    CliRunner.Result result = cli.run("manifest", "push", layout("nj") + ":v1", notJson.toString());
    assertThat(result.exitCode()).isEqualTo(Main.FAILED);
    assertThat(result.err()).contains("is not JSON");
  }

  @Test
  void blobPushFetchDeleteOnALayout() throws Exception {
    assertThat(cli.run("push", layout("b") + ":v1", "README.txt").exitCode()).isZero();
    Path file = dir.resolve("blob.bin");
    Files.writeString(file, "a raw blob");
    String digest = cli.run("blob", "push", layout("b"), file.toString()).out().trim();
    assertThat(digest).startsWith("sha256:");
    Path back = dir.resolve("back.bin");
    assertThat(
            cli.run("blob", "fetch", layout("b") + "@" + digest, "-o", back.toString()).exitCode())
        .isZero();
    assertThat(Files.readString(back)).isEqualTo("a raw blob");
    assertThat(cli.run("blob", "delete", "-f", layout("b") + "@" + digest).exitCode()).isZero();
    CliRunner.Result gone =
        cli.run("blob", "fetch", layout("b") + "@" + digest, "-o", back.toString());
    assertThat(gone.exitCode()).isEqualTo(Main.FAILED);
    assertThat(gone.err()).contains("not found");
  }

  @Test
  void aBlobTargetWithoutDigestIsAUsageError() {
    CliRunner.Result result = cli.run("blob", "fetch", layout("b") + ":v1");
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("needs a digest");
  }

  @Test
  void versionPrintsTheVersionAndJava() {
    CliRunner.Result version = cli.run("version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).contains("stevedore ", "Java ");
  }

  @Test
  void anOciArchiveIsReadAsASourceButNotWritten() throws Exception {
    assertThat(cli.run("push", layout("arc") + ":v1", "README.txt", "config").exitCode()).isZero();
    Path archive = dir.resolve("image.tar");
    dev.stevedore.content.ocilayout.OciLayoutStore.open(dir.resolve("arc")).exportArchive(archive);
    CliRunner.Result copy =
        cli.run("copy", "oci-archive:" + archive + ":v1", layout("from-archive") + ":v1");
    assertThat(copy.exitCode()).as(copy.toString()).isZero();
    CliRunner.Result pull =
        cli.run("pull", layout("from-archive") + ":v1", "-o", dir.resolve("out").toString());
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
    assertThat(DemoCommand.sameTree(src, dir.resolve("out"))).isTrue();
    CliRunner.Result write =
        cli.run("copy", layout("arc") + ":v1", "oci-archive:" + dir.resolve("new.tar") + ":v1");
    assertThat(write.exitCode()).isEqualTo(Main.FAILED);
    assertThat(write.err()).contains("read-only");
  }

  private static int indexOf(String[] lines, String needle) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(needle)) {
        return i;
      }
    }
    throw new AssertionError(needle + " not in output");
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && !Character.isLetterOrDigit(line.charAt(i))) {
      i++;
    }
    return i;
  }
}
