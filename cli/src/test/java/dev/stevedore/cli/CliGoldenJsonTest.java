package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --format json} has oras 1.2's field names, order and nesting: each command's output,
 * reduced to its shape (values replaced by their type), equals a golden file written from oras's
 * output model (src/test/resources/golden). Values are checked where they are knowable.
 */
class CliGoldenJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private CliRunner cli;
  private String layout;
  private String name;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("hello.txt"), "hello");
    cli = new CliRunner(dir, Map.of());
    name = dir.resolve("layout").toString();
    layout = "oci:" + name;
  }

  private JsonNode json(String... args) throws Exception {
    CliRunner.Result result = cli.run(args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return JSON.readTree(result.out());
  }

  private static void assertShape(JsonNode actual, String golden) throws Exception {
    JsonNode expected;
    try (InputStream in = CliGoldenJsonTest.class.getResourceAsStream("/golden/" + golden)) {
      expected = JSON.readTree(in);
    }
    assertThat(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(shape(actual)))
        .isEqualTo(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(shape(expected)));
  }

  /** Values replaced by their type; field order kept (Jackson keeps insertion order). */
  static JsonNode shape(JsonNode node) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (node.isObject()) {
      ObjectNode out = f.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        out.set(e.getKey(), shape(e.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = f.arrayNode();
      node.forEach(n -> out.add(shape(n)));
      return out;
    }
    if (node.isNumber()) {
      return f.numberNode(0);
    }
    if (node.isBoolean()) {
      return f.textNode("boolean");
    }
    return f.textNode(node.isNull() ? "null" : "string");
  }

  @Test
  void push() throws Exception {
    JsonNode push =
        json(
            "push",
            layout + ":v1,v2",
            "hello.txt",
            "--artifact-type",
            "application/vnd.test.golden",
            "-a",
            "team=blue",
            "--format",
            "json");
    assertShape(push, "push.json");
    assertThat(push.get("reference").asText()).isEqualTo(name + "@" + push.get("digest").asText());
    assertThat(push.get("referenceAsTags").get(1).asText()).isEqualTo(name + ":v2");
    assertThat(push.get("annotations").get("team").asText()).isEqualTo("blue");
  }

  @Test
  void pull() throws Exception {
    assertThat(cli.run("push", layout + ":v1", "hello.txt").exitCode()).isZero();
    JsonNode pull =
        json("pull", layout + ":v1", "-o", dir.resolve("out").toString(), "--format", "json");
    assertShape(pull, "pull.json");
    JsonNode file = pull.get("files").get(0);
    assertThat(file.get("path").asText()).isEqualTo(dir.resolve("out/hello.txt").toString());
    assertThat(file.get("reference").asText()).isEqualTo(name + "@" + file.get("digest").asText());
  }

  @Test
  void attachAndDiscover() throws Exception {
    assertThat(cli.run("push", layout + ":v1", "hello.txt").exitCode()).isZero();
    JsonNode sig =
        json(
            "attach",
            layout + ":v1",
            "--artifact-type",
            "application/vnd.test.sig",
            "--format",
            "json");
    assertShape(sig, "attach.json");
    assertThat(sig.get("artifactType").asText()).isEqualTo("application/vnd.test.sig");
    assertThat(
            cli.run(
                    "attach",
                    layout + "@" + sig.get("digest").asText(),
                    "--artifact-type",
                    "application/vnd.test.countersig")
                .exitCode())
        .isZero();
    JsonNode tree = json("discover", layout + ":v1", "--format", "json");
    assertShape(tree, "discover.json");
    assertThat(tree.get("referrers").get(0).get("digest")).isEqualTo(sig.get("digest"));
    JsonNode shallow = json("discover", layout + ":v1", "--format", "json", "--depth", "1");
    assertThat(shallow.get("referrers").get(0).has("referrers")).isFalse();
  }

  @Test
  void manifestFetchAndResolve() throws Exception {
    assertThat(cli.run("push", layout + ":v1", "hello.txt").exitCode()).isZero();
    assertShape(
        json("manifest", "fetch", layout + ":v1", "--format", "json"), "manifest-fetch.json");
    JsonNode resolve = json("resolve", layout + ":v1", "--format", "json");
    assertShape(resolve, "resolve.json");
  }
}
