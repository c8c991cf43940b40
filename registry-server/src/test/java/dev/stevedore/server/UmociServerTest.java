package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * umoci, which reads OCI layouts and nothing else, reads the layout an image was pushed into
 * through the server: umoci builds an image (a real tar layer), skopeo pushes it to the server over
 * HTTP, and umoci lists and unpacks the layout the server wrote.
 */
@Timeout(180)
class UmociServerTest {
  @TempDir Path temp;
  private RegistryServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        RegistryServer.builder()
            .repositories(RepositoryProvider.ociLayouts(temp.resolve("served")))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String run(String tool, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HOME", temp.toString());
    builder.environment().put("TMPDIR", temp.toString());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          tool + " cannot be run (bin/setup installs it: apt-get install skopeo umoci)", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(tool + " finished").isTrue();
    assertThat(process.exitValue())
        .as(tool + " " + String.join(" ", args) + " said: " + output)
        .isZero();
    return output;
  }

  /** An image umoci made itself: an empty base and one layer holding greeting.txt. */
  private Path umociImage() throws Exception {
    Path layout = temp.resolve("built");
    run("umoci", "init", "--layout", layout.toString());
    run("umoci", "new", "--image", layout + ":t1");
    Path file = Files.writeString(temp.resolve("greeting.txt"), "hello through the server\n");
    run("umoci", "insert", "--image", layout + ":t1", file.toString(), "/greeting.txt");
    return layout;
  }

  @Test
  void umociListsAndUnpacksALayoutPushedThroughTheServer() throws Exception {
    Path built = umociImage();
    String remote = "docker://" + server.hostPort() + "/umoci/image";
    run(
        "skopeo",
        "--insecure-policy",
        "copy",
        "--preserve-digests",
        "--dest-tls-verify=false",
        "oci:" + built + ":t1",
        remote + ":v1");
    run(
        "skopeo",
        "--insecure-policy",
        "copy",
        "--preserve-digests",
        "--dest-tls-verify=false",
        "oci:" + built + ":t1",
        remote + ":v2");

    Path served = temp.resolve("served/umoci/image");
    String listed = run("umoci", "ls", "--layout", served.toString());
    assertThat(listed.lines().toList()).containsExactlyInAnyOrder("v1", "v2");

    Path bundle = temp.resolve("bundle");
    run("umoci", "unpack", "--rootless", "--image", served + ":v1", bundle.toString());
    assertThat(Files.readString(bundle.resolve("rootfs/greeting.txt")))
        .isEqualTo("hello through the server\n");

    // the same manifest as the one umoci built, byte for byte
    Descriptor original = OciLayoutStore.open(built).resolve("t1");
    assertThat(OciLayoutStore.open(served).resolve("v1").digest()).isEqualTo(original.digest());
    try (var files = Files.list(served.resolve("ingest"))) {
      assertThat(files.toList()).as("no temporary file left in the layout").isEmpty();
    }
  }
}
