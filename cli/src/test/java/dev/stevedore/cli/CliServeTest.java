package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Digest;
import dev.stevedore.testing.Fixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stevedore serve}: usage errors in-process; serving and a clean stop on SIGTERM in a child
 * JVM.
 */
@Timeout(120)
class CliServeTest {
  private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;

  @Test
  void usageErrorsExitWith2() {
    CliRunner cli = new CliRunner(dir, Map.of());

    assertThat(cli.run("serve").exitCode()).isEqualTo(2);
    assertThat(cli.run("serve", "oci:" + dir, "--memory").exitCode()).isEqualTo(2);
    assertThat(cli.run("serve", dir.toString()).err()).contains("oci:DIR");
    assertThat(cli.run("serve", "--memory", "--addr", "nowhere").err()).contains("HOST:PORT");
    assertThat(cli.run("serve", "--memory", "--tls-cert", "c.pem").exitCode()).isEqualTo(2);
  }

  @Test
  void servesLayoutsAndStopsCleanlyOnSigtermWithAnUploadInFlight() throws Exception {
    Path root = dir.resolve("layouts");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.stevedore.cli.Main",
                "serve",
                "oci:" + root,
                "--addr",
                "127.0.0.1:0",
                "--verbose")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).as("the first line names the address").contains("Serving oci:");
      Matcher m = URL.matcher(line);
      assertThat(m.find()).isTrue();
      URI url = URI.create(m.group(1));
      byte[] blob = Fixtures.utf8("served by stevedore serve");
      HttpURLConnection push =
          (HttpURLConnection)
              url.resolve("/v2/cli/app/blobs/uploads/?digest=" + Digest.sha256(blob))
                  .toURL()
                  .openConnection();
      push.setRequestMethod("POST");
      push.setDoOutput(true);
      push.getOutputStream().write(blob);
      assertThat(push.getResponseCode()).isEqualTo(201);
      assertThat(out.readLine())
          .as("--verbose logs the request")
          .contains("POST /v2/cli/app/blobs/uploads/");

      byte[] big = new byte[4 << 20];
      try (Socket socket = new Socket(url.getHost(), url.getPort())) {
        OutputStream raw = socket.getOutputStream();
        raw.write(
            ("POST /v2/cli/app/blobs/uploads/?digest="
                    + Digest.sha256(big)
                    + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: "
                    + big.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        raw.write(big, 0, big.length / 2);
        raw.flush();

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
      }
    } finally {
      process.destroyForcibly();
    }

    Path layout = root.resolve("cli/app");
    assertThat(
            layout.resolve(
                "blobs/sha256/"
                    + Digest.sha256(Fixtures.utf8("served by stevedore serve")).encoded()))
        .exists();
    try (Stream<Path> files = Files.walk(layout)) {
      List<String> names =
          files.filter(Files::isRegularFile).map(p -> layout.relativize(p).toString()).toList();
      assertThat(names)
          .as("nothing half-written")
          .allSatisfy(
              n ->
                  assertThat(n)
                      .matches(
                          "oci-layout|index\\.json|index\\.json\\.lock|blobs/sha256/[0-9a-f]{64}"));
      assertThat(names).filteredOn(n -> n.startsWith("blobs/")).hasSize(1);
    }
  }
}
