package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Digester;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the user named is written into, never replaced (issue 14 item 5), and a source readable only
 * once is read once (item 13).
 */
@Timeout(60)
class CliDataSafetyTest {
  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFIFO = 0010000;
  private static final String CONTENT = "the blob's content, long enough to notice\n";

  @TempDir Path dir;
  private CliRunner cli;
  private String layout;
  private String blob;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliRunner(dir, Map.of());
    layout = "oci:" + dir.resolve("layout");
    Path file = dir.resolve("blob.bin");
    Files.writeString(file, CONTENT);
    CliRunner.Result push = cli.run("blob", "push", layout, file.toString());
    assertThat(push.exitCode()).as(push.toString()).isZero();
    blob = layout + "@" + push.out().trim();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
  }

  private static int fileType(Path path) throws Exception {
    return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
  }

  @Test
  void fetchIntoACharacterDeviceWritesThroughIt() throws Exception {
    Path device = dir.resolve("null");
    run("mknod", device.toString(), "c", "1", "3");
    CliRunner.Result fetch = cli.run("blob", "fetch", blob, "-o", device.toString());
    assertThat(fetch.exitCode()).as(fetch.toString()).isZero();
    assertThat(fileType(device)).as("still a character device").isEqualTo(S_IFCHR);
  }

  @Test
  void fetchIntoAFifoWritesThroughIt() throws Exception {
    Path fifo = dir.resolve("fifo");
    run("mkfifo", fifo.toString());
    CompletableFuture<byte[]> reader =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Files.readAllBytes(fifo);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    CliRunner.Result fetch = cli.run("blob", "fetch", blob, "-o", fifo.toString());
    assertThat(fetch.exitCode()).as(fetch.toString()).isZero();
    assertThat(new String(reader.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8))
        .isEqualTo(CONTENT);
    assertThat(fileType(fifo)).as("still a FIFO").isEqualTo(S_IFIFO);
  }

  @Test
  void fetchThroughASymlinkKeepsTheLinkAndWritesItsTarget() throws Exception {
    Path target = dir.resolve("real.txt");
    Files.writeString(target, "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.txt"), target);
    CliRunner.Result fetch = cli.run("blob", "fetch", blob, "-o", link.toString());
    assertThat(fetch.exitCode()).as(fetch.toString()).isZero();
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(target)).isEqualTo(CONTENT);
  }

  @Test
  void fetchIntoAnExistingFileKeepsItsInode() throws Exception {
    Path file = dir.resolve("existing.txt");
    Files.writeString(file, "old content");
    Path hardLink = Files.createLink(dir.resolve("other-name.txt"), file);
    CliRunner.Result fetch = cli.run("blob", "fetch", blob, "-o", file.toString());
    assertThat(fetch.exitCode()).as(fetch.toString()).isZero();
    assertThat(Files.readString(file)).isEqualTo(CONTENT);
    assertThat(Files.readString(hardLink)).as("the same inode was written").isEqualTo(CONTENT);
  }

  @Test
  void aFailedFetchLeavesAnExistingFileUntouchedAndNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("keep.txt");
    Files.writeString(file, "precious");
    String missing = layout + "@sha256:" + "0".repeat(64);
    CliRunner.Result fetch = cli.run("blob", "fetch", missing, "-o", file.toString());
    assertThat(fetch.exitCode()).isEqualTo(Main.FAILED);
    assertThat(Files.readString(file)).isEqualTo("precious");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
  }

  @Test
  void fetchToANewFileLeavesOnlyThatFile() throws Exception {
    Path out = Files.createDirectory(dir.resolve("out"));
    CliRunner.Result fetch =
        cli.run("blob", "fetch", blob, "-o", out.resolve("new.bin").toString());
    assertThat(fetch.exitCode()).as(fetch.toString()).isZero();
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("new.bin");
    }
    assertThat(Files.readString(out.resolve("new.bin"))).isEqualTo(CONTENT);
  }

  @Test
  void blobPushDashReadsStandardInput() throws Exception {
    String text = "from standard input";
    CliRunner.Result push = cli.runWithInput(text, "blob", "push", layout, "-");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    Digester digester = Digester.sha256();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    digester.update(bytes, 0, bytes.length);
    assertThat(push.out().trim()).isEqualTo(digester.digest().toString());
  }

  @Test
  void blobPushReadsAFifoOnceAndPushesWhatItRead() throws Exception {
    Path fifo = dir.resolve("in.fifo");
    run("mkfifo", fifo.toString());
    String text = "written once into a FIFO";
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                Files.writeString(fifo, text);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    CliRunner.Result push = cli.run("blob", "push", layout, fifo.toString());
    writer.get(30, TimeUnit.SECONDS);
    assertThat(push.exitCode()).as(push.toString()).isZero();
    assertThat(push.err()).doesNotContain("corrupt");
    Path back = dir.resolve("back.txt");
    assertThat(
            cli.run("blob", "fetch", layout + "@" + push.out().trim(), "-o", back.toString())
                .exitCode())
        .isZero();
    assertThat(Files.readString(back)).isEqualTo(text);
  }

  @Test
  void blobPushChecksAGivenSize() throws Exception {
    CliRunner.Result push = cli.runWithInput("four", "blob", "push", layout, "-", "--size", "5");
    assertThat(push.exitCode()).isEqualTo(Main.FAILED);
    assertThat(push.err()).contains("4 bytes", "--size");
  }

  @Test
  void deletingWithoutATerminalNeedsForceAndKeepsEverything() throws Exception {
    CliRunner.Result delete = cli.run("blob", "delete", blob);
    assertThat(delete.exitCode()).isEqualTo(Main.USAGE);
    assertThat(delete.err()).contains("--force");
    Path back = dir.resolve("still.txt");
    assertThat(cli.run("blob", "fetch", blob, "-o", back.toString()).exitCode()).isZero();
    assertThat(List.of(Files.readString(back))).containsExactly(CONTENT);
  }
}
