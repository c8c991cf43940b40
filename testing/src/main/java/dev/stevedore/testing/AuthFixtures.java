package dev.stevedore.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Files that auth and TLS test registries need, made with the real tools: an htpasswd file with
 * bcrypt entries ({@code htpasswd -B}, Debian {@code apache2-utils}) and a self-signed certificate
 * for {@code 127.0.0.1} and {@code localhost} ({@code openssl}).
 */
public final class AuthFixtures {
  private AuthFixtures() {}

  /**
   * Writes an htpasswd file.
   *
   * @param file where
   * @param users user name → password
   * @return {@code file}
   * @throws IOException if htpasswd is missing or fails
   */
  public static Path htpasswd(Path file, Map<String, String> users) throws IOException {
    StringBuilder content = new StringBuilder();
    for (Map.Entry<String, String> user : users.entrySet()) {
      content
          .append(
              run(List.of("htpasswd", "-Bbn", user.getKey(), user.getValue()), "apache2-utils")
                  .trim())
          .append('\n');
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, content.toString());
    return file;
  }

  /**
   * Makes a self-signed certificate valid for {@code 127.0.0.1} and {@code localhost}, with its
   * key.
   *
   * @param dir where to write {@code registry.crt} and {@code registry.key}
   * @return the certificate and key, as the registry's TLS configuration takes them
   * @throws IOException if openssl is missing or fails
   */
  public static RegistryConfig.Tls selfSignedCertificate(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path cert = dir.resolve("registry.crt");
    Path key = dir.resolve("registry.key");
    run(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=stevedore-test-registry",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString()),
        "openssl");
    return new RegistryConfig.Tls(cert, key);
  }

  private static String run(List<String> command, String debianPackage) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          command.get(0)
              + " is not installed: apt-get install "
              + debianPackage
              + " (bin/setup does it)",
          e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(command.get(0) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    return output;
  }
}
