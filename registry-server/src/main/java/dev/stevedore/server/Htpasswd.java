package dev.stevedore.server;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * An htpasswd file of bcrypt hashes ({@code user:$2y$...}, as {@code htpasswd -B} writes and
 * distribution accepts). Verified credentials are remembered as a SHA-256 of user and password
 * (never the password), so a client's every request does not pay a bcrypt round.
 */
final class Htpasswd {
  private static final System.Logger LOG = System.getLogger(Htpasswd.class.getName());
  private static final int MAX_REMEMBERED = 10_000;

  private final Map<String, String> hashes;
  private final Set<String> verified = ConcurrentHashMap.newKeySet();

  private Htpasswd(Map<String, String> hashes) {
    this.hashes = Map.copyOf(hashes);
  }

  static Htpasswd load(Path file) throws IOException {
    Map<String, String> hashes = new HashMap<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNumber++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      String hash = colon < 0 ? "" : trimmed.substring(colon + 1);
      if (colon <= 0 || !hash.startsWith("$2")) {
        int n = lineNumber;
        LOG.log(
            System.Logger.Level.WARNING,
            () ->
                file
                    + ":"
                    + n
                    + ": not a user:bcrypt-hash line (make it with htpasswd -B); the line is ignored");
        continue;
      }
      hashes.put(trimmed.substring(0, colon), hash);
    }
    if (hashes.isEmpty()) {
      throw new IOException(
          file
              + ": no user:bcrypt-hash line; add users with htpasswd -Bb "
              + file
              + " USER PASSWORD");
    }
    return new Htpasswd(hashes);
  }

  /**
   * Checks an {@code Authorization} header.
   *
   * @return the user name, or null when the header is missing, malformed or wrong
   */
  @Nullable String authenticate(@Nullable String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    String hash = hashes.get(user);
    if (hash == null) {
      return null;
    }
    String key = fingerprint(user, password, hash);
    if (verified.contains(key)) {
      return user;
    }
    if (!BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified) {
      return null;
    }
    if (verified.size() < MAX_REMEMBERED) {
      verified.add(key);
    }
    return user;
  }

  private static String fingerprint(String user, String password, String hash) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((user + '\0' + password + '\0' + hash).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
