package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Pusher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path: the fixtures a store's own contract tests use work from the named
 * module.
 */
class ModulePathTest {
  @Test
  void fixturesPushVerifiedContentInTheNamedModule() throws Exception {
    assertThat(Fixtures.class.getModule().getName()).isEqualTo("dev.stevedore.testing");
    List<byte[]> pushed = new ArrayList<>();
    Pusher pusher = (expected, content) -> pushed.add(Contents.readAll(content, expected, 1 << 20));
    Descriptor desc = Fixtures.pushBlob(pusher, "application/x", Fixtures.utf8("fixture"));
    assertThat(pushed).singleElement().isEqualTo(Fixtures.utf8("fixture"));
    assertThat(desc.size()).isEqualTo(7);
  }
}
