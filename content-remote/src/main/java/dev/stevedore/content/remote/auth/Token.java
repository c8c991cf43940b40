package dev.stevedore.content.remote.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A bearer token from a token server, with its expiry. {@link #toString()} never shows the token.
 *
 * @param value the token
 * @param expiresAt when it stops being valid
 * @param refreshToken a refresh token the server returned (OAuth2), or null
 */
public record Token(String value, Instant expiresAt, @Nullable String refreshToken) {
  /** The lifetime the token spec prescribes when a server gives none. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validates. */
  public Token {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("empty token");
    }
  }

  /**
   * Parses a token server's JSON answer: {@code token} or {@code access_token}, {@code expires_in}
   * (seconds; 60 when absent or too small), {@code issued_at} (RFC 3339; {@code now} when absent).
   *
   * @param body the response body
   * @param now the current time
   * @param realm the token server, for error messages
   * @return the token
   * @throws IOException if the body is not JSON or has no token
   */
  public static Token parse(byte[] body, Instant now, String realm) throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw new IOException("token server " + realm + " answered with something that is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new IOException(
          "token server " + realm + " answered with something that is not a JSON object");
    }
    String token = text(node, "token");
    if (token == null) {
      token = text(node, "access_token");
    }
    if (token == null) {
      throw new IOException("token server " + realm + " answered without a token");
    }
    long expiresIn = node.path("expires_in").asLong(0);
    Duration lifetime =
        expiresIn < DEFAULT_LIFETIME.toSeconds() ? DEFAULT_LIFETIME : Duration.ofSeconds(expiresIn);
    Instant issuedAt = now;
    String issued = text(node, "issued_at");
    if (issued != null) {
      try {
        issuedAt = Instant.parse(issued);
      } catch (DateTimeParseException e) {
        issuedAt = now;
      }
      if (issuedAt.isAfter(now)) {
        issuedAt = now; // a server clock ahead of ours must not extend the token
      }
    }
    return new Token(token, issuedAt.plus(lifetime), text(node, "refresh_token"));
  }

  /**
   * Tells whether the token is still usable at a time, keeping a safety margin for clock skew and
   * request latency.
   *
   * @param now the current time
   * @param margin how long before expiry to stop using it
   * @return true when usable
   */
  public boolean isValidAt(Instant now, Duration margin) {
    return now.plus(margin).isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "Token[expiresAt=" + expiresAt + "]";
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
  }
}
