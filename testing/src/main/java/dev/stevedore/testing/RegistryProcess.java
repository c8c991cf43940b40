package dev.stevedore.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@code docker-registry serve} process (CNCF distribution) with its own temporary storage and
 * configuration, on a free loopback port read from its log. Never the system's configuration or
 * service. Closing stops it with SIGTERM and deletes its directory.
 */
final class RegistryProcess implements AutoCloseable {
  static final String BINARY = "docker-registry";
  private static final Pattern LISTENING =
      Pattern.compile("listening on (?:\\[?([^\\]\\s]*)\\]?):(\\d+)");
  private static final long START_TIMEOUT_SECONDS = 20;

  private final Process process;
  private final Path directory;
  private final TestRegistry registry;

  private RegistryProcess(Process process, Path directory, TestRegistry registry) {
    this.process = process;
    this.directory = directory;
    this.registry = registry;
  }

  TestRegistry registry() {
    return registry;
  }

  /** The binary on PATH, if any. */
  static Optional<Path> findBinary() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator, -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, BINARY);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static RegistryProcess start(Path binary, RegistryConfig config) throws IOException {
    Path directory = Files.createTempDirectory("stevedore-registry-");
    try {
      Path storage = Files.createDirectory(directory.resolve("storage"));
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      Path configFile = directory.resolve("config.yml");
      Files.writeString(configFile, config.toYaml(storage, HexFormat.of().formatHex(secret)));
      ProcessBuilder builder =
          new ProcessBuilder(binary.toString(), "serve", configFile.toString())
              .directory(directory.toFile())
              .redirectOutput(directory.resolve("stdout.log").toFile())
              .redirectError(ProcessBuilder.Redirect.PIPE);
      Map<String, String> env = builder.environment();
      // REGISTRY_* variables of the surrounding environment would override our configuration.
      env.keySet().removeIf(k -> k.startsWith("REGISTRY_"));
      env.put("REGISTRY_HTTP_ADDR", "127.0.0.1:0");
      Process process = builder.start();
      try {
        int port = awaitPort(process, directory.resolve("registry.log"));
        TestRegistry registry =
            new TestRegistry("127.0.0.1", port, config.tls(), TestRegistry.Source.PROCESS, storage);
        if (!config.tls()) {
          checkAnswers(registry);
        }
        return new RegistryProcess(process, directory, registry);
      } catch (IOException | RuntimeException e) {
        stop(process);
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      deleteRecursively(directory);
      throw e;
    }
  }

  /**
   * Reads stderr on a named thread (to the log file) until the "listening on" line names the port.
   */
  private static int awaitPort(Process process, Path log) throws IOException {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Deque<String> lastLines = new ArrayDeque<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
                  BufferedWriter out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.write(line);
                  out.newLine();
                  out.flush();
                  synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 10) {
                      lastLines.removeFirst();
                    }
                  }
                  Matcher m = LISTENING.matcher(line);
                  if (!port.isDone() && m.find()) {
                    port.complete(Integer.parseInt(m.group(2)));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              synchronized (lastLines) {
                port.completeExceptionally(
                    new IOException(
                        "docker-registry exited before listening; its last lines:\n"
                            + String.join("\n", lastLines)));
              }
            },
            "stevedore-registry-log-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      return port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting docker-registry", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(
          "docker-registry did not log \"listening on\" within "
              + START_TIMEOUT_SECONDS
              + " s; see "
              + log,
          e);
    }
  }

  private static void checkAnswers(TestRegistry registry) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) new URL(registry.baseUrl() + "/v2/").openConnection();
    connection.setConnectTimeout(5000);
    connection.setReadTimeout(5000);
    try {
      int status = connection.getResponseCode();
      // 401: a registry with auth configured answers the version check with a challenge.
      if (status != 200 && status != 401) {
        throw new IOException(
            "docker-registry at " + registry.hostPort() + " answered GET /v2/ with " + status);
      }
    } finally {
      connection.disconnect();
    }
  }

  private static void stop(Process process) {
    process.destroy(); // SIGTERM: distribution shuts down gracefully
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path directory() {
    return directory;
  }

  @Override
  public void close() {
    stop(process);
    deleteRecursively(directory);
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      System.getLogger(RegistryProcess.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "could not delete the test registry directory " + root + ": " + e.getMessage());
    }
  }
}
