package dev.stevedore.content.remote.auth;

import dev.stevedore.content.remote.credentials.Credential;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The request that fetches a bearer token for a challenge, as the docker and oras clients make it:
 *
 * <ul>
 *   <li>with an identity (refresh) token: {@code POST realm} with the OAuth2 form {@code
 *       grant_type=refresh_token};
 *   <li>with a username and password when OAuth2 is forced: {@code POST} with {@code
 *       grant_type=password};
 *   <li>otherwise {@code GET realm?service=…&scope=…}, with Basic credentials when there are some,
 *       anonymous when not.
 * </ul>
 *
 * <p>{@link #toString()} never shows the body or the Authorization header.
 *
 * @param method {@code GET} or {@code POST}
 * @param uri the token endpoint with its query
 * @param headers request headers (may include Authorization)
 * @param body the form body of a POST, or null
 */
// A token request is built, sent once and dropped, never compared or hashed; the body is cloned on
// the way in.
@SuppressWarnings("ArrayRecordComponent")
public record TokenRequest(
    String method, URI uri, Map<String, String> headers, byte @Nullable [] body) {
  /** The client id Stevedore sends in OAuth2 forms. */
  public static final String CLIENT_ID = "stevedore";

  /** Copies the headers. */
  public TokenRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    headers = Map.copyOf(headers);
    body = body == null ? null : body.clone();
  }

  /**
   * Builds the token request for a Bearer challenge.
   *
   * @param challenge the Bearer challenge (its {@code realm} is the token endpoint)
   * @param scopes the scopes the operation needs (already least-privilege and cleaned)
   * @param credential the credential, possibly empty
   * @param forceOAuth2 use the OAuth2 password grant for a username and password
   * @return the request
   * @throws IllegalArgumentException if the challenge has no usable realm
   */
  public static TokenRequest forChallenge(
      Challenge challenge, List<String> scopes, Credential credential, boolean forceOAuth2) {
    String realm = challenge.parameter("realm");
    if (realm == null || realm.isEmpty()) {
      throw new IllegalArgumentException("the registry's Bearer challenge has no realm");
    }
    URI realmUri;
    try {
      realmUri = new URI(realm);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the registry's Bearer realm is not a URL: " + realm, e);
    }
    if (!"https".equalsIgnoreCase(realmUri.getScheme())
        && !"http".equalsIgnoreCase(realmUri.getScheme())) {
      throw new IllegalArgumentException(
          "the registry's Bearer realm is not an http(s) URL: " + realm);
    }
    String service = challenge.parameter("service");
    if (credential.refreshToken() != null) {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "refresh_token");
      form.put("refresh_token", credential.refreshToken());
      return post(realmUri, service, scopes, form);
    }
    if (forceOAuth2 && credential.hasBasic()) {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "password");
      form.put("username", credential.username());
      form.put("password", credential.password());
      return post(realmUri, service, scopes, form);
    }
    List<String> query = new ArrayList<>();
    if (service != null && !service.isEmpty()) {
      query.add("service=" + encode(service));
    }
    for (String scope : scopes) {
      query.add("scope=" + encode(scope));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String username = credential.username();
    String password = credential.password();
    if (username != null && password != null) { // Credential.hasBasic()
      headers.put("Authorization", basic(username, password));
    }
    return new TokenRequest("GET", withQuery(realmUri, String.join("&", query)), headers, null);
  }

  /**
   * The value of a Basic Authorization header.
   *
   * @param username the user
   * @param password the password
   * @return {@code Basic base64(user:password)}
   */
  public static String basic(String username, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "TokenRequest[" + method + " " + uri + "]";
  }

  private static TokenRequest post(
      URI realm, @Nullable String service, List<String> scopes, Map<String, String> form) {
    if (service != null && !service.isEmpty()) {
      form.put("service", service);
    }
    if (!scopes.isEmpty()) {
      form.put("scope", String.join(" ", scopes));
    }
    form.put("client_id", CLIENT_ID);
    StringBuilder body = new StringBuilder();
    form.forEach(
        (k, v) -> {
          if (body.length() > 0) {
            body.append('&');
          }
          body.append(encode(k)).append('=').append(encode(v));
        });
    return new TokenRequest(
        "POST",
        realm,
        Map.of("Content-Type", "application/x-www-form-urlencoded"),
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static URI withQuery(URI base, String query) {
    if (query.isEmpty()) {
      return base;
    }
    String s = base.toString();
    return URI.create(s + (base.getRawQuery() == null ? "?" : "&") + query);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
