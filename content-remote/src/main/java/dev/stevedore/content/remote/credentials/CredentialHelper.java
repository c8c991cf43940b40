package dev.stevedore.content.remote.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A docker credential helper ({@code docker-credential-<name>}), spoken to with the helper
 * protocol: {@code get}, {@code store} and {@code erase}, JSON on standard input and output. A
 * username of {@code <token>} means the secret is an identity token.
 *
 * <p>Secrets pass only through the helper's standard streams: never on its command line, never in a
 * log or an exception message.
 */
public final class CredentialHelper implements CredentialStore {
  private static final String TOKEN_USERNAME = "<token>";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final String program;

  /**
   * The helper {@code docker-credential-<name>}, looked up on PATH.
   *
   * @param name the helper's suffix, e.g. {@code pass}, {@code osxkeychain}, {@code ecr-login}
   */
  public CredentialHelper(String name) {
    this.name = Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
      throw new IllegalArgumentException("invalid credential helper name \"" + name + "\"");
    }
    this.program = "docker-credential-" + name;
  }

  @Override
  public Credential credential(String registry) throws IOException {
    Result result = run("get", registry);
    if (result.exitCode != 0) {
      if (result.output.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
        return Credential.EMPTY;
      }
      throw new IOException(
          program
              + " get failed for "
              + registry
              + " (exit "
              + result.exitCode
              + "): "
              + firstLine(result.output));
    }
    JsonNode node;
    try {
      node = JSON.readTree(result.output);
    } catch (IOException e) {
      throw new IOException(
          program + " get returned output that is not JSON for " + registry, null);
    }
    String username = text(node, "Username");
    String secret = text(node, "Secret");
    if (TOKEN_USERNAME.equals(username)) {
      return Credential.identityToken(secret);
    }
    return new Credential(username, secret, null, null);
  }

  @Override
  public void store(String registry, Credential credential) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("ServerURL", registry);
    if (credential.refreshToken() != null) {
      node.put("Username", TOKEN_USERNAME);
      node.put("Secret", credential.refreshToken());
    } else {
      node.put("Username", credential.username() == null ? "" : credential.username());
      node.put("Secret", credential.password() == null ? "" : credential.password());
    }
    Result result = run("store", JSON.writeValueAsString(node));
    if (result.exitCode != 0) {
      throw new IOException(
          program
              + " store failed for "
              + registry
              + " (exit "
              + result.exitCode
              + "): "
              + firstLine(result.output));
    }
  }

  @Override
  public void erase(String registry) throws IOException {
    Result result = run("erase", registry);
    if (result.exitCode != 0
        && !result.output.toLowerCase(java.util.Locale.ROOT).contains("not found")) {
      throw new IOException(
          program
              + " erase failed for "
              + registry
              + " (exit "
              + result.exitCode
              + "): "
              + firstLine(result.output));
    }
  }

  @Override
  public String toString() {
    return "CredentialHelper[" + name + "]";
  }

  private record Result(int exitCode, String output) {}

  private Result run(String action, String input) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(List.of(program, action)).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "credential helper "
              + program
              + " not found on PATH; install it or remove \""
              + name
              + "\" from the docker config",
          e);
    }
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream stdout = process.getInputStream()) {
      stdout.transferTo(out);
    }
    try {
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            program + " " + action + " did not finish within " + TIMEOUT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running " + program);
    }
    return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8).trim());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }

  /** Helper output on failure is an error text, not a secret; still, show only its first line. */
  private static String firstLine(String output) {
    int newline = output.indexOf('\n');
    String line = newline < 0 ? output : output.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
