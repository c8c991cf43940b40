package dev.stevedore.content.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stevedore.content.remote.auth.Challenge;
import dev.stevedore.content.remote.auth.Scopes;
import dev.stevedore.content.remote.auth.Token;
import dev.stevedore.content.remote.auth.TokenCache;
import dev.stevedore.content.remote.auth.TokenRequest;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.CredentialProvider;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The authentication layer of the HTTP seam, challenge-driven like the docker and oras clients: a
 * 401 with {@code WWW-Authenticate: Basic} or {@code Bearer realm=…,service=…,scope=…} is answered
 * with the matching scheme and the request is sent once more. Once a host's scheme is known, later
 * requests carry credentials up front (no 401 round trip), which is also what makes streamed
 * uploads work: the POST that opens an upload authenticates, the body-carrying PATCH/PUT that
 * follow reuse its token.
 *
 * <p>Scopes are least-privilege and derived from each request: {@code pull} to read, {@code
 * pull,push} to write, {@code delete} to delete, the source repository's {@code pull} for a mount,
 * {@code registry:catalog:*} for the catalog; the challenge's own scope is merged in, as oras-go
 * does. Tokens are cached per (registry, scopes) until shortly before they expire, and concurrent
 * requests share one token fetch.
 *
 * <p>Credentials are looked up on a worker thread (a credential helper is a process). Secrets are
 * never logged; a credential is never sent to a token realm over plain HTTP when the registry
 * itself speaks HTTPS.
 */
final class AuthTransport implements HttpTransport {
  private static final System.Logger LOG = System.getLogger(AuthTransport.class.getName());

  /**
   * Attached to a final 401/403 response: how authentication went; read by {@link ErrorResponses}.
   */
  static final Attribute<Outcome> OUTCOME =
      new Attribute<>("authentication outcome", Outcome.class);

  private static final long MAX_TOKEN_RESPONSE = 1024 * 1024;
  private static final Pattern REPOSITORY_PATH =
      Pattern.compile("^/v2/(.+)/(blobs|manifests|tags|referrers)/.*$");

  private final HttpTransport next;
  private final Vertx vertx;
  private final CredentialProvider provider;
  private final TokenCache tokens;
  private final Clock clock;
  private final boolean forceOAuth2;
  private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();
  private final java.util.Set<String> warned = ConcurrentHashMap.newKeySet();

  /**
   * Credentials looked up, for five minutes (a credential helper is a process: not once per
   * request).
   */
  private final Cache<String, Credential> credentials =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(5)).maximumSize(100).build();

  /**
   * Lookups in progress, shared by concurrent requests; a failed lookup is reported, never cached
   * nor logged.
   */
  private final Map<String, Future<Credential>> lookups = new ConcurrentHashMap<>();

  AuthTransport(
      HttpTransport next,
      Vertx vertx,
      CredentialProvider provider,
      TokenCache tokens,
      Clock clock,
      boolean forceOAuth2) {
    this.next = next;
    this.vertx = vertx;
    this.provider = provider;
    this.tokens = tokens;
    this.clock = clock;
    this.forceOAuth2 = forceOAuth2;
  }

  @Override
  public Future<HttpResponse> send(HttpRequest request) {
    if (request.headers().containsKey("Authorization")) {
      return next.send(request);
    }
    String host = hostOf(request.uri());
    List<String> scopes = Scopes.clean(scopesFor(request));
    return authorize(request, host, scopes)
        .compose(
            authorized ->
                next.send(authorized)
                    .compose(
                        response -> {
                          if (response.status() != 401) {
                            return Future.succeededFuture(response);
                          }
                          Optional<Challenge> challenge =
                              Challenge.parse(response.header("WWW-Authenticate"));
                          if (challenge.isEmpty() || request.body() instanceof HttpRequest.Stream) {
                            // Nothing we can answer, or a streamed body already (partly) sent:
                            // report as it is.
                            return Future.succeededFuture(
                                response.with(
                                    OUTCOME,
                                    authorized.headers().containsKey("Authorization")
                                        ? Outcome.REJECTED
                                        : Outcome.REQUIRED));
                          }
                          return response
                              .discard()
                              .recover(t -> Future.succeededFuture())
                              .compose(
                                  v -> answer(request, host, scopes, challenge.get(), authorized));
                        }));
  }

  /** Adds credentials up front when the host's scheme is already known. */
  private Future<HttpRequest> authorize(HttpRequest request, String host, List<String> scopes) {
    Challenge known = challenges.get(host);
    if (known == null) {
      return Future.succeededFuture(request);
    }
    if (Challenge.BASIC.equals(known.scheme())) {
      return credential(host)
          .map(c -> c.hasBasic() ? request.withHeader("Authorization", basic(c)) : request);
    }
    return token(request, host, mergedScopes(scopes, known), known)
        .map(token -> request.withHeader("Authorization", "Bearer " + token.value()))
        // a failing token fetch up front is retried through the normal 401 path, which reports it
        .recover(t -> Future.succeededFuture(request));
  }

  private Future<HttpResponse> answer(
      HttpRequest request,
      String host,
      List<String> scopes,
      Challenge challenge,
      HttpRequest previous) {
    boolean hadAuthorization = previous.headers().containsKey("Authorization");
    if (Challenge.BASIC.equals(challenge.scheme())) {
      challenges.put(host, challenge);
      return credential(host)
          .compose(
              c -> {
                if (!c.hasBasic()) {
                  return Future.failedFuture(
                      failure(
                          request,
                          host,
                          AuthenticationException.Reason.CREDENTIALS_REQUIRED,
                          "the registry "
                              + host
                              + " requires authentication (Basic) and no credentials are configured for it;"
                              + " log in (stevedore login "
                              + host
                              + ") or pass a username and password"));
                }
                if (hadAuthorization) {
                  return Future.failedFuture(
                      failure(
                          request,
                          host,
                          AuthenticationException.Reason.CREDENTIALS_REJECTED,
                          "the registry "
                              + host
                              + " rejected the credentials of user \""
                              + c.username()
                              + "\"; check them"
                              + " and log in again"));
                }
                warnIfPlain(request.uri(), host);
                return next.send(request.withHeader("Authorization", basic(c)))
                    .map(r -> r.status() == 401 ? r.with(OUTCOME, Outcome.REJECTED) : r);
              });
    }
    challenges.put(host, challenge);
    List<String> merged = mergedScopes(scopes, challenge);
    TokenCache.Key key = new TokenCache.Key(host, merged);
    if (hadAuthorization) {
      // The token we sent was refused: it expired early or lacks a scope. Fetch a fresh one once.
      tokens.invalidate(key);
    }
    return token(request, host, merged, challenge)
        .compose(
            token ->
                next.send(request.withHeader("Authorization", "Bearer " + token.value()))
                    .compose(
                        r -> {
                          if (r.status() != 401 && r.status() != 403) {
                            return Future.succeededFuture(r);
                          }
                          tokens.invalidate(key);
                          // Anonymous: the registry wants credentials; with credentials: they lack
                          // the permission.
                          return credential(host)
                              .map(
                                  c ->
                                      r.with(
                                          OUTCOME,
                                          c.isEmpty()
                                              ? Outcome.REQUIRED
                                              : new Outcome(
                                                  AuthenticationException.Reason.ACCESS_DENIED,
                                                  merged)));
                        }));
  }

  private List<String> mergedScopes(List<String> scopes, Challenge challenge) {
    List<String> all = new ArrayList<>(scopes);
    String fromChallenge = challenge.parameter("scope");
    if (fromChallenge != null && !fromChallenge.isBlank()) {
      all.addAll(List.of(fromChallenge.trim().split(" ")));
    }
    return Scopes.clean(all);
  }

  private Future<Token> token(
      HttpRequest request, String host, List<String> scopes, Challenge challenge) {
    TokenCache.Key key = new TokenCache.Key(host, scopes);
    return Future.fromCompletionStage(
        tokens.get(key, k -> fetchToken(request, host, scopes, challenge)));
  }

  private CompletableFuture<Token> fetchToken(
      HttpRequest request, String host, List<String> scopes, Challenge challenge) {
    return credential(host)
        .compose(
            c -> {
              if (c.accessToken() != null) {
                return Future.succeededFuture(
                    new Token(c.accessToken(), Instant.now(clock).plus(Duration.ofDays(1)), null));
              }
              TokenRequest tokenRequest;
              try {
                tokenRequest = TokenRequest.forChallenge(challenge, scopes, c, forceOAuth2);
              } catch (IllegalArgumentException e) {
                return Future.failedFuture(
                    failure(
                        request,
                        host,
                        AuthenticationException.Reason.CREDENTIALS_REQUIRED,
                        "cannot authenticate to " + host + ": " + e.getMessage()));
              }
              if (!c.isEmpty()
                  && "http".equalsIgnoreCase(tokenRequest.uri().getScheme())
                  && "https".equalsIgnoreCase(request.uri().getScheme())) {
                return Future.failedFuture(
                    failure(
                        request,
                        host,
                        AuthenticationException.Reason.CREDENTIALS_REQUIRED,
                        "the registry "
                            + host
                            + " sends credentials to a plain-http token server "
                            + tokenRequest.uri().getHost()
                            + "; refusing to expose them"));
              }
              HttpRequest http =
                  new HttpRequest(
                      HttpMethod.valueOf(tokenRequest.method()),
                      tokenRequest.uri(),
                      tokenRequest.headers(),
                      tokenRequest.body() == null
                          ? null
                          : new HttpRequest.Bytes(tokenRequest.body()),
                      new Cancellation());
              String realm =
                  tokenRequest.uri().getScheme()
                      + "://"
                      + tokenRequest.uri().getAuthority()
                      + tokenRequest.uri().getPath();
              LOG.log(
                  Level.DEBUG,
                  () ->
                      "fetching a token for "
                          + host
                          + " from "
                          + realm
                          + " for "
                          + scopes
                          + (c.isEmpty()
                              ? " (anonymous)"
                              : " as " + (c.username() == null ? "token holder" : c.username())));
              return next.send(http)
                  .compose(
                      response ->
                          response
                              .body(MAX_TOKEN_RESPONSE)
                              .compose(
                                  body -> {
                                    int status = response.status();
                                    if (status / 100 == 2) {
                                      try {
                                        return Future.succeededFuture(
                                            Token.parse(body, Instant.now(clock), realm));
                                      } catch (java.io.IOException e) {
                                        return Future.failedFuture(e);
                                      }
                                    }
                                    return Future.failedFuture(
                                        tokenServerFailure(host, realm, c, response, body));
                                  }));
            })
        .toCompletionStage()
        .toCompletableFuture();
  }

  private Future<Credential> credential(String host) {
    Credential cached = credentials.getIfPresent(host);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    Promise<Credential> mine = Promise.promise();
    Future<Credential> running = lookups.putIfAbsent(host, mine.future());
    if (running != null) {
      return running;
    }
    // On a worker thread: a credential helper is a process, never run on an event loop.
    vertx
        .<Credential>executeBlocking(() -> provider.credential(host), false)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                credentials.put(host, result.result());
              }
              lookups.remove(host, mine.future());
              mine.handle(result);
            });
    return mine.future();
  }

  private void warnIfPlain(URI uri, String host) {
    if ("http".equalsIgnoreCase(uri.getScheme()) && warned.add(host)) {
      LOG.log(Level.WARNING, "sending Basic credentials to " + host + " over plain HTTP");
    }
  }

  static String hostOf(URI uri) {
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  /** The scopes a request needs, least privilege. */
  static List<String> scopesFor(HttpRequest request) {
    String path = request.uri().getRawPath();
    if (path == null) {
      return List.of();
    }
    if (path.equals("/v2/_catalog")) {
      return List.of(Scopes.CATALOG);
    }
    Matcher m = REPOSITORY_PATH.matcher(path);
    if (!m.matches()) {
      return List.of();
    }
    String repository = m.group(1);
    List<String> scopes = new ArrayList<>();
    HttpMethod method = request.method();
    if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
      scopes.add(Scopes.repository(repository, Scopes.PULL));
    } else if (HttpMethod.DELETE.equals(method)) {
      scopes.add(Scopes.repository(repository, Scopes.DELETE));
    } else {
      scopes.add(Scopes.repository(repository, Scopes.PULL, Scopes.PUSH));
      String from = queryParameter(request.uri(), "from");
      if (from != null && queryParameter(request.uri(), "mount") != null) {
        scopes.add(Scopes.repository(from, Scopes.PULL));
      }
    }
    return scopes;
  }

  /**
   * The Basic header value of a credential that {@link Credential#hasBasic() has} a user name and
   * password.
   */
  private static String basic(Credential c) {
    return TokenRequest.basic(
        java.util.Objects.requireNonNull(c.username(), "credential without a user name"),
        java.util.Objects.requireNonNull(c.password(), "credential without a password"));
  }

  private static @org.jspecify.annotations.Nullable String queryParameter(URI uri, String name) {
    String query = uri.getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return java.net.URLDecoder.decode(
            eq < 0 ? "" : pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /**
   * What a token server's refusal means, with its real status: 401 or 403 reject the credentials
   * (or, anonymous, require some), 429 and 5xx are the token server's own trouble, anything else is
   * a misconfigured realm.
   */
  private static RegistryResponseException tokenServerFailure(
      String host, String realm, Credential c, HttpResponse response, byte[] body) {
    int status = response.status();
    List<RegistryError> errors = ErrorResponses.parse(body);
    Object retried =
        response
            .attribute(RetryTransport.ATTEMPTS)
            .map(n -> " after " + n + " attempts")
            .orElse("");
    String answered =
        "the token server "
            + realm
            + " of "
            + host
            + " answered HTTP "
            + status
            + (response.statusMessage().isEmpty() ? "" : " " + response.statusMessage())
            + retried;
    HttpRequest tokenRequest = response.request();
    if (status == 401 || status == 403) {
      if (c.isEmpty()) {
        return new AuthenticationException(
            answered
                + " to an anonymous request: the registry "
                + host
                + " requires authentication; log in (stevedore login "
                + host
                + ") or configure credentials",
            tokenRequest.method().name(),
            tokenRequest.uri(),
            status,
            errors,
            host,
            AuthenticationException.Reason.CREDENTIALS_REQUIRED);
      }
      return new AuthenticationException(
          "the token server "
              + realm
              + " of "
              + host
              + " rejected the credentials"
              + (c.username() == null ? "" : " of user \"" + c.username() + "\"")
              + " (HTTP "
              + status
              + "); check them and log in again",
          tokenRequest.method().name(),
          tokenRequest.uri(),
          status,
          errors,
          host,
          AuthenticationException.Reason.CREDENTIALS_REJECTED);
    }
    String advice =
        status == 429 || status >= 500
            ? ": the token server is failing or overloaded; retry later"
            : ": the registry's token realm looks misconfigured; check the registry address";
    String detail =
        errors.isEmpty()
            ? (body.length == 0 ? "" : " " + ErrorResponses.snippet(body))
            : " "
                + errors.stream()
                    .map(RegistryError::toString)
                    .reduce((a, b) -> a + "; " + b)
                    .orElse("");
    return new RegistryResponseException(
        answered + detail + advice,
        tokenRequest.method().name(),
        tokenRequest.uri(),
        status,
        errors);
  }

  /**
   * How authentication went, attached to a final 401 or 403 response.
   *
   * @param reason why the registry refused
   * @param scopes the scopes asked for, when access was denied
   */
  record Outcome(AuthenticationException.Reason reason, List<String> scopes) {
    static final Outcome REQUIRED =
        new Outcome(AuthenticationException.Reason.CREDENTIALS_REQUIRED, List.of());
    static final Outcome REJECTED =
        new Outcome(AuthenticationException.Reason.CREDENTIALS_REJECTED, List.of());

    Outcome {
      scopes = List.copyOf(scopes);
    }
  }

  private static AuthenticationException failure(
      HttpRequest request, String host, AuthenticationException.Reason reason, String message) {
    return new AuthenticationException(
        message, request.method().name(), request.uri(), 401, List.of(), host, reason);
  }
}
