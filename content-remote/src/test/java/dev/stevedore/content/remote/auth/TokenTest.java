package dev.stevedore.content.remote.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.remote.credentials.Credential;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesTokenAndExpiry() throws Exception {
    Token t = Token.parse(json("{\"token\":\"abc\",\"expires_in\":300}"), NOW, "realm");
    assertThat(t.value()).isEqualTo("abc");
    assertThat(t.expiresAt()).isEqualTo(NOW.plusSeconds(300));
  }

  @Test
  void acceptsAccessTokenAndDefaultsTheLifetime() throws Exception {
    Token t = Token.parse(json("{\"access_token\":\"xyz\"}"), NOW, "realm");
    assertThat(t.value()).isEqualTo("xyz");
    assertThat(t.expiresAt()).isEqualTo(NOW.plus(Token.DEFAULT_LIFETIME));
  }

  @Test
  void issuedAtInTheFutureDoesNotExtendTheToken() throws Exception {
    Token t =
        Token.parse(
            json("{\"token\":\"a\",\"expires_in\":120,\"issued_at\":\"2030-01-01T00:00:00Z\"}"),
            NOW,
            "r");
    assertThat(t.expiresAt()).isEqualTo(NOW.plusSeconds(120));
  }

  @Test
  void aBodyWithoutTokenNamesTheRealm() {
    assertThatThrownBy(() -> Token.parse(json("{}"), NOW, "https://auth.example/token"))
        .hasMessageContaining("https://auth.example/token")
        .hasMessageContaining("without a token");
    assertThatThrownBy(() -> Token.parse(json("<html>"), NOW, "r"))
        .hasMessageContaining("not JSON");
  }

  @Test
  void toStringHidesTheToken() {
    assertThat(new Token("very-secret", NOW, "refresh-secret").toString()).doesNotContain("secret");
  }

  @Test
  void getRequestCarriesServiceScopesAndBasicCredentials() {
    Challenge c =
        new Challenge(
            "bearer", java.util.Map.of("realm", "https://auth.example/token", "service", "reg"));
    TokenRequest r =
        TokenRequest.forChallenge(
            c,
            List.of("repository:a/b:pull", "repository:c:pull,push"),
            Credential.basic("u", "p"),
            false);
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.uri())
        .isEqualTo(
            URI.create(
                "https://auth.example/token?service=reg&scope=repository%3Aa%2Fb%3Apull&scope=repository%3Ac%3Apull%2Cpush"));
    assertThat(r.headers()).containsEntry("Authorization", TokenRequest.basic("u", "p"));
    assertThat(r.toString()).doesNotContain("Basic");
  }

  @Test
  void anonymousGetHasNoAuthorization() {
    Challenge c = new Challenge("bearer", java.util.Map.of("realm", "https://auth.example/token"));
    assertThat(TokenRequest.forChallenge(c, List.of(), Credential.EMPTY, false).headers())
        .isEmpty();
  }

  @Test
  void identityTokenUsesTheOAuth2RefreshGrant() {
    Challenge c =
        new Challenge(
            "bearer", java.util.Map.of("realm", "https://auth.example/token", "service", "reg"));
    TokenRequest r =
        TokenRequest.forChallenge(
            c, List.of("repository:a:pull"), Credential.identityToken("idt"), false);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "grant_type=refresh_token&refresh_token=idt&service=reg&scope=repository%3Aa%3Apull&client_id=stevedore");
  }

  @Test
  void forcedOAuth2UsesThePasswordGrant() {
    Challenge c = new Challenge("bearer", java.util.Map.of("realm", "https://auth.example/token"));
    TokenRequest r = TokenRequest.forChallenge(c, List.of(), Credential.basic("u", "p w"), true);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo("grant_type=password&username=u&password=p%20w&client_id=stevedore");
  }

  @Test
  void aRealmThatIsNotHttpIsRefused() {
    Challenge c = new Challenge("bearer", java.util.Map.of("realm", "file:///etc/passwd"));
    assertThatThrownBy(() -> TokenRequest.forChallenge(c, List.of(), Credential.EMPTY, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an http(s) URL");
  }

  static final class MutableClock extends Clock {
    Instant now = NOW;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void concurrentRequestsForOneKeyShareOneFetch() throws Exception {
    TokenCache cache = new TokenCache(new MutableClock(), Runnable::run);
    TokenCache.Key key = new TokenCache.Key("reg", List.of("repository:a:pull"));
    AtomicInteger fetches = new AtomicInteger();
    CompletableFuture<Token> pending = new CompletableFuture<>();
    List<CompletableFuture<Token>> waiting = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      waiting.add(
          cache.get(
              key,
              k -> {
                fetches.incrementAndGet();
                return pending;
              }));
    }
    pending.complete(new Token("t", NOW.plusSeconds(300), null));
    for (CompletableFuture<Token> f : waiting) {
      assertThat(f.get().value()).isEqualTo("t");
    }
    assertThat(fetches).hasValue(1);
  }

  @Test
  void anExpiringTokenIsFetchedAgain() throws Exception {
    MutableClock clock = new MutableClock();
    TokenCache cache = new TokenCache(clock, Runnable::run);
    TokenCache.Key key = new TokenCache.Key("reg", List.of());
    AtomicInteger fetches = new AtomicInteger();
    java.util.function.Function<TokenCache.Key, CompletableFuture<Token>> fetch =
        k ->
            CompletableFuture.completedFuture(
                new Token("t" + fetches.incrementAndGet(), clock.now.plusSeconds(60), null));
    assertThat(cache.get(key, fetch).get().value()).isEqualTo("t1");
    clock.now = clock.now.plusSeconds(30);
    assertThat(cache.get(key, fetch).get().value()).isEqualTo("t1");
    clock.now = clock.now.plus(Duration.ofSeconds(25));
    assertThat(cache.get(key, fetch).get().value()).isEqualTo("t2");
  }

  @Test
  void aFailedFetchIsNotCached() throws Exception {
    TokenCache cache = new TokenCache(new MutableClock(), Runnable::run);
    TokenCache.Key key = new TokenCache.Key("reg", List.of());
    CompletableFuture<Token> failed =
        CompletableFuture.failedFuture(new java.io.IOException("denied"));
    assertThat(cache.get(key, k -> failed)).isCompletedExceptionally();
    assertThat(
            cache
                .get(
                    key,
                    k ->
                        CompletableFuture.completedFuture(
                            new Token("ok", NOW.plusSeconds(300), null)))
                .get()
                .value())
        .isEqualTo("ok");
  }
}
