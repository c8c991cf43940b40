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

/** oras's flags, each on an OCI layout (issue 16). */
class CliFlagsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private CliRunner cli;
  private String layout;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "file a");
    Files.writeString(dir.resolve("b.txt"), "file b");
    cli = new CliRunner(dir, Map.of());
    layout = "oci:" + dir.resolve("layout");
  }

  private CliRunner.Result ok(String... args) {
    CliRunner.Result result = cli.run(args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result;
  }

  private JsonNode json(String... args) throws Exception {
    return JSON.readTree(ok(args).out());
  }

  private JsonNode manifest(String target) throws Exception {
    return json("manifest", "fetch", target);
  }

  @Test
  void pushTakesSeveralTagsAndTagTakesSeveralTags() throws Exception {
    String digest =
        json("push", layout + ":a,b,c", "a.txt", "--format", "json").get("digest").asText();
    ok("tag", layout + ":a", "d", "e");
    assertThat(ok("repo", "tags", layout).out().lines()).containsExactly("a", "b", "c", "d", "e");
    assertThat(ok("resolve", layout + ":e").out().trim()).isEqualTo(digest);
  }

  @Test
  void pushAnnotationFileAnnotatesManifestConfigAndFiles() throws Exception {
    Path annotations = dir.resolve("annotations.json");
    Files.writeString(
        annotations,
        """
        {"$manifest": {"m": "1"}, "$config": {"c": "2"}, "a.txt": {"f": "3"}}""");
    ok("push", layout + ":v1", "a.txt", "b.txt", "--annotation-file", annotations.toString());
    JsonNode m = manifest(layout + ":v1");
    assertThat(m.get("annotations").get("m").asText()).isEqualTo("1");
    assertThat(m.get("config").get("annotations").get("c").asText()).isEqualTo("2");
    assertThat(m.get("layers").get(0).get("annotations").get("f").asText()).isEqualTo("3");
    assertThat(
            m.get("layers")
                .get(0)
                .get("annotations")
                .get("org.opencontainers.image.title")
                .asText())
        .isEqualTo("a.txt");
    assertThat(m.get("layers").get(1).get("annotations").has("f")).isFalse();
  }

  @Test
  void anAnnotationFileNamingAnUnpushedFileIsAUsageError() throws Exception {
    Path annotations = dir.resolve("annotations.json");
    Files.writeString(annotations, "{\"nope.txt\": {\"f\": \"3\"}}");
    CliRunner.Result result =
        cli.run("push", layout + ":v1", "a.txt", "--annotation-file", annotations.toString());
    assertThat(result.exitCode()).isEqualTo(Main.USAGE);
    assertThat(result.err()).contains("nope.txt");
  }

  @Test
  void pushExportManifestWritesWhatWasPushed() throws Exception {
    Path exported = dir.resolve("exported.json");
    String digest =
        json(
                "push",
                layout + ":v1",
                "a.txt",
                "--export-manifest",
                exported.toString(),
                "--format",
                "json")
            .get("digest")
            .asText();
    assertThat(JSON.readTree(Files.readAllBytes(exported))).isEqualTo(manifest(layout + ":v1"));
    assertThat(
            dev.stevedore.content.Descriptor.of("x", Files.readAllBytes(exported))
                .digest()
                .toString())
        .isEqualTo(digest);
  }

  @Test
  void pushRefusesAbsoluteAndParentPathsUnlessValidationIsDisabled() throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    CliRunner inSub = new CliRunner(dir.resolve("sub"), Map.of());
    CliRunner.Result parent = inSub.run("push", layout + ":v1", "../a.txt");
    assertThat(parent.exitCode()).isEqualTo(Main.USAGE);
    assertThat(parent.err()).contains("../a.txt", "--disable-path-validation");
    CliRunner.Result absolute = cli.run("push", layout + ":v1", dir.resolve("a.txt").toString());
    assertThat(absolute.exitCode()).isEqualTo(Main.USAGE);
    CliRunner.Result allowed =
        inSub.run("push", layout + ":v1", "../a.txt", "--disable-path-validation");
    assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
    // and pull refuses to write it, unless told
    CliRunner.Result pull =
        cli.run("pull", layout + ":v1", "-o", dir.resolve("out/inner").toString());
    assertThat(pull.exitCode()).isEqualTo(Main.FAILED);
    CliRunner.Result traversal =
        cli.run(
            "pull",
            layout + ":v1",
            "-o",
            dir.resolve("out/inner").toString(),
            "--allow-path-traversal");
    assertThat(traversal.exitCode()).as(traversal.toString()).isZero();
    assertThat(Files.readString(dir.resolve("out/a.txt"))).isEqualTo("file a");
  }

  @Test
  void pushConfigWithMediaType() throws Exception {
    Files.writeString(dir.resolve("config.json"), "{\"k\":1}");
    ok("push", layout + ":v1", "a.txt", "--config", "config.json:application/vnd.test.config+json");
    assertThat(manifest(layout + ":v1").get("config").get("mediaType").asText())
        .isEqualTo("application/vnd.test.config+json");
    assertThat(ok("manifest", "fetch-config", layout + ":v1").out().trim()).isEqualTo("{\"k\":1}");
    JsonNode configDescriptor = json("manifest", "fetch-config", layout + ":v1", "--descriptor");
    assertThat(configDescriptor.get("size").asInt()).isEqualTo(7);
  }

  @Test
  void pullKeepOldFilesRefusesToReplace() throws Exception {
    ok("push", layout + ":v1", "a.txt");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("a.txt"), "mine");
    CliRunner.Result pull =
        cli.run("pull", layout + ":v1", "-o", out.toString(), "--keep-old-files");
    assertThat(pull.exitCode()).isEqualTo(Main.FAILED);
    assertThat(Files.readString(out.resolve("a.txt"))).isEqualTo("mine");
    ok("pull", layout + ":v1", "-o", out.toString());
    assertThat(Files.readString(out.resolve("a.txt"))).isEqualTo("file a");
  }

  @Test
  void pullIncludeSubjectPullsTheSubjectsFilesToo() throws Exception {
    ok("push", layout + ":v1", "a.txt");
    String sig =
        json(
                "attach",
                layout + ":v1",
                "b.txt",
                "--artifact-type",
                "application/vnd.test.sig",
                "--format",
                "json")
            .get("digest")
            .asText();
    Path plain = dir.resolve("plain");
    ok("pull", layout + "@" + sig, "-o", plain.toString());
    assertThat(plain.resolve("a.txt")).doesNotExist();
    Path with = dir.resolve("with");
    JsonNode pulled =
        json(
            "pull",
            layout + "@" + sig,
            "-o",
            with.toString(),
            "--include-subject",
            "--format",
            "json");
    assertThat(Files.readString(with.resolve("a.txt"))).isEqualTo("file a");
    assertThat(Files.readString(with.resolve("b.txt"))).isEqualTo("file b");
    assertThat(pulled.get("files")).hasSize(2);
  }

  @Test
  void attachAnnotationFileAndExportManifest() throws Exception {
    ok("push", layout + ":v1", "a.txt");
    Path annotations = dir.resolve("annotations.json");
    Files.writeString(annotations, "{\"$manifest\": {\"signed-by\": \"alice\"}}");
    Path exported = dir.resolve("referrer.json");
    String digest =
        json(
                "attach",
                layout + ":v1",
                "--artifact-type",
                "application/vnd.test.sig",
                "--annotation-file",
                annotations.toString(),
                "--export-manifest",
                exported.toString(),
                "--format",
                "json")
            .get("digest")
            .asText();
    JsonNode referrer = JSON.readTree(Files.readAllBytes(exported));
    assertThat(referrer.get("annotations").get("signed-by").asText()).isEqualTo("alice");
    assertThat(manifest(layout + "@" + digest)).isEqualTo(referrer);
  }

  @Test
  void discoverFiltersByArtifactTypeAndLimitsDepth() throws Exception {
    ok("push", layout + ":v1", "a.txt");
    String sig =
        json(
                "attach",
                layout + ":v1",
                "--artifact-type",
                "application/vnd.test.sig",
                "--format",
                "json")
            .get("digest")
            .asText();
    ok("attach", layout + ":v1", "--artifact-type", "application/vnd.test.sbom");
    ok("attach", layout + "@" + sig, "--artifact-type", "application/vnd.test.countersig");
    JsonNode filtered =
        json(
            "discover",
            layout + ":v1",
            "--artifact-type",
            "application/vnd.test.sig",
            "--format",
            "json");
    assertThat(filtered.get("referrers")).hasSize(1);
    assertThat(filtered.get("referrers").get(0).get("referrers")).hasSize(1);
    JsonNode shallow = json("discover", layout + ":v1", "--depth", "1", "--format", "json");
    assertThat(shallow.get("referrers")).hasSize(2);
    shallow.get("referrers").forEach(r -> assertThat(r.has("referrers")).isFalse());
    CliRunner.Result table = ok("discover", layout + ":v1", "--format", "table");
    assertThat(table.out())
        .contains("Discovered 3 artifacts", "Artifact Type", "application/vnd.test.sbom", sig);
    assertThat(ok("discover", layout + ":v1", "--format", "tree").out()).contains("└── ");
  }

  @Test
  void platformFlagsPickTheManifestOfAnIndex() throws Exception {
    JsonNode amd = json("push", layout + ":amd", "a.txt", "--format", "json");
    JsonNode arm = json("push", layout + ":arm", "b.txt", "--format", "json");
    Path index = dir.resolve("index.json");
    Files.writeString(
        index,
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":["
            + entry(amd, "amd64")
            + ","
            + entry(arm, "arm64")
            + "]}");
    ok("manifest", "push", layout + ":multi", index.toString());
    String armDigest = arm.get("digest").asText();

    assertThat(ok("resolve", layout + ":multi", "--platform", "linux/arm64").out().trim())
        .isEqualTo(armDigest);
    assertThat(
            json(
                    "manifest",
                    "fetch",
                    layout + ":multi",
                    "--platform",
                    "linux/arm64",
                    "--descriptor")
                .get("digest")
                .asText())
        .isEqualTo(armDigest);
    Path out = dir.resolve("out");
    ok("pull", layout + ":multi", "--platform", "linux/arm64", "-o", out.toString());
    assertThat(Files.readString(out.resolve("b.txt"))).isEqualTo("file b");

    String sig =
        json(
                "attach",
                layout + ":multi",
                "--platform",
                "linux/arm64",
                "--artifact-type",
                "application/vnd.test.sig",
                "--format",
                "json")
            .get("digest")
            .asText();
    JsonNode tree =
        json("discover", layout + ":multi", "--platform", "linux/arm64", "--format", "json");
    assertThat(tree.get("digest").asText()).isEqualTo(armDigest);
    assertThat(tree.get("referrers").get(0).get("digest").asText()).isEqualTo(sig);

    String copy = "oci:" + dir.resolve("copy");
    ok("copy", "-r", "--platform", "linux/arm64", layout + ":multi", copy + ":v1");
    assertThat(ok("resolve", copy + ":v1").out().trim()).isEqualTo(armDigest);
    assertThat(
            json("discover", copy + ":v1", "--format", "json")
                .get("referrers")
                .get(0)
                .get("digest")
                .asText())
        .isEqualTo(sig);
  }

  private static String entry(JsonNode pushed, String arch) {
    return "{\"mediaType\":\""
        + pushed.get("mediaType").asText()
        + "\",\"digest\":\""
        + pushed.get("digest").asText()
        + "\",\"size\":"
        + pushed.get("size").asLong()
        + ",\"platform\":{\"os\":\"linux\",\"architecture\":\""
        + arch
        + "\"}}";
  }

  @Test
  void resolveFullReferenceAndOciLayoutFlag() throws Exception {
    String digest =
        json("push", layout + ":v1", "a.txt", "--format", "json").get("digest").asText();
    assertThat(ok("resolve", "-l", layout + ":v1").out().trim()).isEqualTo(layout + "@" + digest);
    assertThat(ok("resolve", "--oci-layout", dir.resolve("layout") + ":v1").out().trim())
        .isEqualTo(digest);
    String copy = dir.resolve("copy").toString();
    ok("copy", "--to-oci-layout", layout + ":v1", copy + ":v2");
    assertThat(ok("resolve", "oci:" + copy + ":v2").out().trim()).isEqualTo(digest);
  }

  @Test
  void copyTakesSeveralDestinationTags() throws Exception {
    String digest =
        json("push", layout + ":v1", "a.txt", "--format", "json").get("digest").asText();
    String copy = "oci:" + dir.resolve("copy");
    ok("copy", layout + ":v1", copy + ":x,y,z");
    assertThat(ok("repo", "tags", copy).out().lines()).containsExactly("x", "y", "z");
    assertThat(ok("resolve", copy + ":z").out().trim()).isEqualTo(digest);
  }

  @Test
  void repoTagsLastAndExcludeDigestTags() throws Exception {
    String digest =
        json("push", layout + ":v1", "a.txt", "--format", "json").get("digest").asText();
    ok("tag", layout + ":v1", "v2", "v3", digest.replace(':', '-'));
    assertThat(ok("repo", "tags", layout, "--last", "v1").out().lines())
        .containsExactly("v2", "v3");
    assertThat(ok("repo", "tags", layout).out().lines()).contains(digest.replace(':', '-'));
    assertThat(ok("repo", "tags", layout, "--exclude-digest-tags").out().lines())
        .containsExactly("v1", "v2", "v3");
  }

  @Test
  void manifestFetchPrettyOutputFileAndDescriptor() throws Exception {
    JsonNode pushed = json("push", layout + ":v1", "a.txt", "--format", "json");
    String pretty = ok("manifest", "fetch", "--pretty", layout + ":v1").out();
    assertThat(pretty).contains("\n  ");
    Path file = dir.resolve("m.json");
    CliRunner.Result written = ok("manifest", "fetch", layout + ":v1", "-o", file.toString());
    assertThat(written.out()).isEmpty();
    assertThat(Files.size(file)).isEqualTo(pushed.get("size").asLong());
    JsonNode descriptor = json("manifest", "fetch", layout + ":v1", "--descriptor");
    assertThat(descriptor.get("digest")).isEqualTo(pushed.get("digest"));
  }

  @Test
  void blobFetchDescriptorAndStdout() throws Exception {
    String digest = ok("blob", "push", layout, dir.resolve("a.txt").toString()).out().trim();
    JsonNode descriptor = json("blob", "fetch", layout + "@" + digest, "--descriptor");
    assertThat(descriptor.get("size").asInt()).isEqualTo(6);
    CliRunner.Result missing = cli.run("blob", "fetch", layout + "@" + digest);
    assertThat(missing.exitCode()).isEqualTo(Main.USAGE);
  }

  @Test
  void manifestDeleteByTagSaysEveryTagGoes() throws Exception {
    ok("push", layout + ":v1", "a.txt");
    ok("tag", layout + ":v1", "v2");
    CliRunner.Result refused = cli.run("manifest", "delete", layout + ":v1");
    assertThat(refused.exitCode()).isEqualTo(Main.USAGE);
    assertThat(refused.err()).contains("every tag", "--force");
    assertThat(ok("resolve", layout + ":v2").exitCode()).isZero();
    CliRunner.Result deleted = ok("manifest", "delete", "--force", layout + ":v1");
    assertThat(deleted.err()).contains("Every tag");
    assertThat(cli.run("resolve", layout + ":v2").exitCode()).isEqualTo(Main.FAILED);
  }

  @Test
  void quietPrintsOnlyTheResultLine() {
    CliRunner.Result push = ok("push", "-q", layout + ":v1", "a.txt");
    assertThat(push.out().lines()).hasSize(1);
    assertThat(push.out()).startsWith("Digest: sha256:");
    assertThat(push.err()).isEmpty();
  }
}
