package dev.stevedore.content.remote.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Bearer tokens cached per (registry, scopes) until shortly before they expire. Concurrent requests
 * for the same key share one fetch: fifty parallel blob uploads cost one token request. A failed
 * fetch is not cached, and not logged here: the caller reports it (an asynchronous Caffeine cache
 * would log every failed load as a WARNING with its stack trace). Fetches start outside any lock,
 * so a thread never waits for another thread's request to be sent. Thread-safe.
 */
public final class TokenCache {
  /** How long before its expiry a token is no longer handed out. */
  static final Duration MARGIN = Duration.ofSeconds(10);

  /**
   * The key of a cached token.
   *
   * @param registry the registry host
   * @param scopes the cleaned, sorted scopes (see {@link Scopes#clean})
   */
  public record Key(String registry, List<String> scopes) {
    /** Copies the scopes. */
    public Key {
      Objects.requireNonNull(registry, "registry");
      scopes = List.copyOf(scopes);
    }
  }

  private final Clock clock;
  private final Cache<Key, Token> cache;
  private final ConcurrentHashMap<Key, CompletableFuture<Token>> inFlight =
      new ConcurrentHashMap<>();

  /** A cache with the system clock, bounded to 1,000 keys. */
  public TokenCache() {
    this(Clock.systemUTC(), Runnable::run);
  }

  /**
   * A cache with a clock and an executor for cache maintenance (tests pass a fixed clock and {@code
   * Runnable::run}).
   *
   * @param clock the clock deciding expiry
   * @param executor runs cache maintenance
   */
  public TokenCache(Clock clock, Executor executor) {
    this.clock = Objects.requireNonNull(clock, "clock");
    Ticker ticker = () -> clock.instant().toEpochMilli() * 1_000_000L;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(1_000)
            .ticker(ticker)
            .executor(executor)
            .expireAfter(
                new Expiry<Key, Token>() {
                  @Override
                  public long expireAfterCreate(Key key, Token token, long currentTime) {
                    return remainingNanos(token);
                  }

                  @Override
                  public long expireAfterUpdate(
                      Key key, Token token, long currentTime, long currentDuration) {
                    return remainingNanos(token);
                  }

                  @Override
                  public long expireAfterRead(
                      Key key, Token token, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  /**
   * The cached token for a key, or the result of {@code fetch} (shared by every concurrent caller
   * of the same key) when there is none or it is about to expire.
   *
   * @param key the key
   * @param fetch fetches a fresh token
   * @return the token
   */
  public CompletableFuture<Token> get(Key key, Function<Key, CompletableFuture<Token>> fetch) {
    Token cached = valid(key);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    CompletableFuture<Token> mine = new CompletableFuture<>();
    CompletableFuture<Token> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    cached = valid(key);
    if (cached != null) {
      // a fetch completed between the first look and the registration
      inFlight.remove(key, mine);
      mine.complete(cached);
      return mine;
    }
    CompletableFuture<Token> fetched;
    try {
      fetched = fetch.apply(key);
    } catch (RuntimeException e) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(e);
      return mine;
    }
    // The continuation completes `mine`, which is what callers wait on; its own future carries
    // nothing more.
    CompletableFuture<Token> unused =
        fetched.whenComplete(
            (token, failure) -> {
              if (failure == null) {
                cache.put(key, token);
              }
              inFlight.remove(key, mine);
              if (failure == null) {
                mine.complete(token);
              } else {
                mine.completeExceptionally(failure);
              }
            });
    return mine;
  }

  private @Nullable Token valid(Key key) {
    Token token = cache.getIfPresent(key);
    return token != null && token.isValidAt(clock.instant(), MARGIN) ? token : null;
  }

  /**
   * Forgets a key's token (after the registry rejected it).
   *
   * @param key the key
   */
  public void invalidate(Key key) {
    cache.invalidate(key);
  }

  private long remainingNanos(Token token) {
    Duration left = Duration.between(clock.instant(), token.expiresAt().minus(MARGIN));
    return left.isNegative() ? 0 : left.toNanos();
  }
}
