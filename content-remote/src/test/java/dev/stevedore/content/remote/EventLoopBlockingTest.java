package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No blocking work on an event loop: in a fresh JVM (class initialization happens once per JVM), a
 * client pushes and pulls under Vert.x's blocked-thread checker set to 100 ms, and no event loop is
 * ever caught initializing Netty's Flight Recorder events (seconds of {@code jdk.jfr} class
 * initialization under load, the cause of the "Thread blocked" warnings).
 */
@Timeout(120)
class EventLoopBlockingTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  /** The child program: prints how many blocked-thread warnings showed JFR initialization. */
  static final class Child {
    public static void main(String[] args) throws Exception {
      AtomicInteger blocked = new AtomicInteger();
      AtomicInteger inJfr = new AtomicInteger();
      Logger.getLogger("")
          .addHandler(
              new Handler() {
                @Override
                public void publish(LogRecord record) {
                  if (record.getMessage() == null
                      || !record.getMessage().contains("has been blocked")) {
                    return;
                  }
                  blocked.incrementAndGet();
                  Throwable stack = record.getThrown();
                  if (stack != null && stack.getStackTrace().length > 0) {
                    System.out.println("blocked in " + stack.getStackTrace()[0]);
                  }
                  if (stack != null
                      && java.util.Arrays.stream(stack.getStackTrace())
                          .anyMatch(
                              f ->
                                  f.getClassName().startsWith("jdk.jfr.")
                                      || f.getClassName().endsWith("ChunkEvent"))) {
                    inJfr.incrementAndGet();
                  }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
              });
      Vertx vertx =
          Vertx.vertx(
              new VertxOptions()
                  .setUseDaemonThread(true)
                  .setMaxEventLoopExecuteTime(100)
                  .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                  .setWarningExceptionTime(100)
                  .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
                  .setBlockedThreadCheckInterval(20)
                  .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
      try (Repository repo =
          Repository.builder()
              .registry(args[0])
              .name("blocking/app")
              .plainHttp()
              .vertx(vertx)
              .build()) {
        byte[] content = Fixtures.randomBytes(2 * 1024 * 1024, 3);
        Descriptor blob = Fixtures.pushBlob(repo, "application/octet-stream", content);
        try (var in = repo.fetch(blob)) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
        }
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      System.out.println(
          "blocked warnings: " + blocked.get() + ", in JFR initialization: " + inJfr.get());
    }
  }

  @Test
  void noEventLoopInitializesNettysFlightRecorderEvents() throws Exception {
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
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "(output unreadable: " + e + ")";
              }
            });
    try {
      assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the child finishes").isTrue();
    } finally {
      child.destroyForcibly();
    }
    String printed = output.get(30, TimeUnit.SECONDS);
    System.out.println(printed);

    assertThat(child.exitValue()).as(printed).isZero();
    assertThat(printed).as(printed).contains("in JFR initialization: 0");
  }
}
