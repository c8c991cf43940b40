package dev.stevedore.content.remote.credentials;

import org.jspecify.annotations.Nullable;

/**
 * What a client presents to a registry: a username and password, an identity (refresh) token, or a
 * registry access token. Any part may be absent; {@link #EMPTY} means anonymous.
 *
 * <p>{@link #toString()} never shows a secret.
 *
 * @param username the user name, or null
 * @param password the password, or null
 * @param refreshToken an identity token to exchange at the token endpoint (OAuth2 refresh token),
 *     or null
 * @param accessToken a registry token sent as is ({@code Authorization: Bearer}), or null
 */
public record Credential(
    @Nullable String username,
    @Nullable String password,
    @Nullable String refreshToken,
    @Nullable String accessToken) {

  /** No credential: anonymous access. */
  public static final Credential EMPTY = new Credential(null, null, null, null);

  /** Normalizes empty strings to null. */
  public Credential {
    username = blankToNull(username);
    password = blankToNull(password);
    refreshToken = blankToNull(refreshToken);
    accessToken = blankToNull(accessToken);
  }

  /**
   * A username and password.
   *
   * @param username the user
   * @param password the password
   * @return the credential
   */
  public static Credential basic(String username, String password) {
    return new Credential(username, password, null, null);
  }

  /**
   * An identity token (what {@code docker login} stores as {@code identitytoken}), exchanged for
   * access tokens with the OAuth2 refresh-token grant.
   *
   * @param token the token
   * @return the credential
   */
  public static Credential identityToken(String token) {
    return new Credential(null, null, token, null);
  }

  /**
   * A registry access token, sent as a bearer token.
   *
   * @param token the token
   * @return the credential
   */
  public static Credential accessToken(String token) {
    return new Credential(null, null, null, token);
  }

  /**
   * Tells whether this is anonymous.
   *
   * @return true when no part is set
   */
  public boolean isEmpty() {
    return username == null && password == null && refreshToken == null && accessToken == null;
  }

  /**
   * Tells whether a username and password are both set.
   *
   * @return true for basic credentials
   */
  public boolean hasBasic() {
    return username != null && password != null;
  }

  @Override
  public String toString() {
    return "Credential[username="
        + (username == null ? "-" : username)
        + ", password="
        + mask(password)
        + ", refreshToken="
        + mask(refreshToken)
        + ", accessToken="
        + mask(accessToken)
        + "]";
  }

  private static String mask(@Nullable String secret) {
    return secret == null ? "-" : "***";
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
