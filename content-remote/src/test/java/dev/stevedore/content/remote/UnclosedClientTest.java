package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.testing.RegistryExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Repository or Registry that its program forgets to close must not keep the JVM alive after
 * {@code main} returns: a child JVM builds both, makes requests to a real registry, returns from
 * {@code main} without closing anything, and must exit by itself.
 */
@Timeout(120)
class UnclosedClientTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  /** The child program. */
  static final class Child {
    public static void main(String[] args) throws IOException {
      Repository repository =
          Repository.builder().registry(args[0]).name("unclosed/app").plainHttp().build();
      byte[] content = "left open".getBytes(StandardCharsets.UTF_8);
      dev.stevedore.content.Descriptor blob =
          dev.stevedore.content.Descriptor.of("application/octet-stream", content);
      repository.push(blob, new java.io.ByteArrayInputStream(content));
      Registry registry = Registry.builder().host(args[0]).plainHttp().build();
      registry.ping();
      System.out.println("requests done: " + repository.exists(blob));
    }
  }

  @Test
  void anUnclosedRepositoryAndRegistryLetTheJvmExit() throws Exception {
    Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                List.of(
                    javaBinary.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Child.class.getName(),
                    REGISTRY.registry().hostPort()))
            .redirectErrorStream(true)
            .start();
    java.util.concurrent.CompletableFuture<String> output =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "(output unreadable: " + e + ")";
              }
            });
    boolean exited;
    try {
      exited = child.waitFor(60, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
    }
    String printed = output.get(30, TimeUnit.SECONDS);

    assertThat(exited).as("the child JVM exits after main returns; output:%n%s", printed).isTrue();
    assertThat(child.exitValue()).as(printed).isZero();
    assertThat(printed).contains("requests done: true");
  }
}
