package dev.stevedore.content.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs on the module path: packing a directory (commons-compress, content-memory) works there. */
class ModulePathTest {
  @TempDir Path dir;

  @Test
  void packsADirectoryAsTarGzipInTheNamedModule() throws Exception {
    assertThat(FileStore.class.getModule().getName()).isEqualTo("dev.stevedore.content.file");
    Path tree = Files.createDirectories(dir.resolve("work/site"));
    Files.writeString(tree.resolve("index.html"), "<p>hello</p>");
    try (FileStore store = FileStore.open(dir.resolve("work"))) {
      Descriptor packed = store.add("site", tree);
      assertThat(packed.mediaType()).endsWith("tar+gzip");
      try (InputStream in = store.fetch(packed)) {
        byte[] bytes = in.readAllBytes();
        assertThat(bytes).hasSize((int) packed.size());
        assertThat(bytes[0] & 0xff).isEqualTo(0x1f); // gzip magic
        assertThat(bytes[1] & 0xff).isEqualTo(0x8b);
      }
    }
  }
}
