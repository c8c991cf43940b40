package dev.stevedore.content.remote;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When and how long to wait before repeating a request that failed transiently: exponential backoff
 * with jitter, bounded in attempts and in total time, honouring {@code Retry-After}.
 *
 * <p>Retried: connection refused or reset, timeouts, and the statuses 408, 429, 500, 502, 503 and
 * 504 — and only for requests that are safe to repeat (GET, HEAD, PUT of a manifest, a blob upload
 * resumed from the offset the registry reports, a download resumed with a Range request). Which
 * requests those are is the client's decision; this class decides only when and how long.
 *
 * @param maxAttempts attempts in all, the first included (1 = no retry)
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff the longest wait between two attempts
 * @param multiplier growth of the wait per attempt
 * @param jitter the random part of a wait, 0 to 1 (0.2 = up to ±20 %)
 * @param maxElapsed no new attempt starts after this much time since the first
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter,
    Duration maxElapsed) {

  private static final Set<Integer> RETRYABLE_STATUS = Set.of(408, 429, 500, 502, 503, 504);

  /** Validates. */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxElapsed.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
    }
  }

  /**
   * The default: 5 attempts, 200 ms doubling to at most 10 s, ±20 % jitter, 2 minutes in all.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        5, Duration.ofMillis(200), Duration.ofSeconds(10), 2.0, 0.2, Duration.ofMinutes(2));
  }

  /**
   * Never retry.
   *
   * @return a policy of one attempt
   */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0, Duration.ZERO);
  }

  /**
   * A copy with another number of attempts.
   *
   * @param attempts attempts in all
   * @return the copy
   */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier, jitter, maxElapsed);
  }

  /**
   * A copy with other waits.
   *
   * @param initial the first wait
   * @param max the longest wait
   * @return the copy
   */
  public RetryPolicy withBackoff(Duration initial, Duration max) {
    return new RetryPolicy(maxAttempts, initial, max, multiplier, jitter, maxElapsed);
  }

  /**
   * Tells whether an HTTP status is transient.
   *
   * @param status the status code
   * @return true for 408, 429, 500, 502, 503, 504
   */
  public static boolean isRetryableStatus(int status) {
    return RETRYABLE_STATUS.contains(status);
  }

  /**
   * Tells whether a failure to get any response is transient: connection refused or reset, closed,
   * timed out. Walks the cause chain.
   *
   * @param failure the failure
   * @return true when repeating may help
   */
  public static boolean isRetryableFailure(@Nullable Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || t instanceof ClosedChannelException) {
        return true;
      }
      if (t instanceof SocketException se
          && se.getMessage() != null
          && se.getMessage().toLowerCase(java.util.Locale.ROOT).contains("reset")) {
        return true;
      }
      String name = t.getClass().getName();
      // Vert.x reports a peer that closed the connection mid-exchange with these.
      if (name.equals("io.vertx.core.http.HttpClosedException")
          || (name.equals("io.vertx.core.VertxException")
              && t.getMessage() != null
              && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("closed"))) {
        return true;
      }
      if (t instanceof IOException
          && t.getMessage() != null
          && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connection reset")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses a {@code Retry-After} header: delay-seconds or an HTTP date.
   *
   * @param header the header value, may be null
   * @param now the current time
   * @return the delay, or empty when absent or unparseable
   */
  public static Optional<Duration> parseRetryAfter(@Nullable String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      // not delay-seconds; try an HTTP date
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * How long to wait before attempt {@code attempt + 1}, or empty when no further attempt is
   * allowed.
   *
   * @param attempt the number of the attempt that just failed, from 1
   * @param elapsed the time since the first attempt started
   * @param retryAfter the server's {@code Retry-After}, or null; it wins over the computed backoff
   *     (capped to what remains of {@code maxElapsed})
   * @param random a source of uniform numbers in [0, 1), for jitter
   * @return the wait, or empty to give up
   */
  public Optional<Duration> nextDelay(
      int attempt, Duration elapsed, @Nullable Duration retryAfter, DoubleSupplier random) {
    if (attempt >= maxAttempts) {
      return Optional.empty();
    }
    Duration remaining = maxElapsed.minus(elapsed);
    if (remaining.isNegative() || remaining.isZero()) {
      return Optional.empty();
    }
    Duration delay;
    if (retryAfter != null) {
      delay = retryAfter;
    } else {
      double base = initialBackoff.toMillis() * Math.pow(multiplier, attempt - 1);
      double capped = Math.min(base, (double) maxBackoff.toMillis());
      double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
      delay = Duration.ofMillis(Math.max(0, Math.round(capped * factor)));
    }
    if (delay.compareTo(remaining) > 0) {
      return Optional.empty();
    }
    return Optional.of(delay);
  }
}
