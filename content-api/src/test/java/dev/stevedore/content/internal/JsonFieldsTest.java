package dev.stevedore.content.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.InvalidDescriptorException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
  private static Map<String, String> fields(String json, String... paths) throws Exception {
    return Json.fields(json.getBytes(StandardCharsets.UTF_8), "document", paths);
  }

  @Test
  void nestedStringsAreFoundAndEverythingElseIsSkipped() throws Exception {
    String json =
        "{\"layers\":[{\"digest\":\"no\"}],\"subject\":{\"size\":1,\"digest\":\"sha256:a\","
            + "\"x\":{\"digest\":\"deeper\"}},\"mediaType\":\"m\",\"digest\":\"top\"}";
    assertThat(fields(json, "subject.digest", "mediaType"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("subject.digest", "sha256:a", "mediaType", "m"));
  }

  @Test
  void otherValuesAreGivenByTheirJsonTextAndALaterDuplicateWins() throws Exception {
    assertThat(
            fields(
                "{\"a\":5,\"b\":null,\"c\":[1],\"d\":{},\"e\":true,\"a\":\"x\"}",
                "a",
                "b",
                "c",
                "d",
                "e"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a", "x", "b", "null", "c", "[…]", "d", "{…}", "e", "true"));
    assertThat(fields("[{\"a\":\"x\"}]", "a")).isEmpty();
  }

  @Test
  void malformedJsonAnywhereIsAnError() {
    for (String json : new String[] {"", "{\"a\":\"x\",\"b\":[}", "{\"a\":\"x\"} x", "{\"a\":"}) {
      assertThatThrownBy(() -> fields(json, "a"))
          .as(json)
          .isInstanceOf(InvalidDescriptorException.class)
          .hasMessageStartingWith("malformed document: ");
    }
  }
}
