package dev.stevedore.content.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = RetryPolicy.defaults();

  @Test
  void backoffDoublesUpToTheCap() {
    RetryPolicy p =
        new RetryPolicy(
            10, Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0, Duration.ofMinutes(1));
    assertThat(p.nextDelay(1, Duration.ZERO, null, () -> 0.5)).contains(Duration.ofMillis(100));
    assertThat(p.nextDelay(2, Duration.ZERO, null, () -> 0.5)).contains(Duration.ofMillis(200));
    assertThat(p.nextDelay(3, Duration.ZERO, null, () -> 0.5)).contains(Duration.ofMillis(400));
    assertThat(p.nextDelay(4, Duration.ZERO, null, () -> 0.5)).contains(Duration.ofMillis(500));
  }

  @Test
  void jitterStaysWithinItsBand() {
    RetryPolicy p =
        new RetryPolicy(
            3, Duration.ofSeconds(1), Duration.ofSeconds(5), 2.0, 0.2, Duration.ofMinutes(1));
    assertThat(p.nextDelay(1, Duration.ZERO, null, () -> 0.0)).contains(Duration.ofMillis(800));
    assertThat(p.nextDelay(1, Duration.ZERO, null, () -> 0.999999))
        .contains(Duration.ofMillis(1200));
  }

  @Test
  void givesUpAfterMaxAttempts() {
    assertThat(policy.nextDelay(policy.maxAttempts(), Duration.ZERO, null, () -> 0.5)).isEmpty();
    assertThat(RetryPolicy.none().nextDelay(1, Duration.ZERO, null, () -> 0.5)).isEmpty();
  }

  @Test
  void givesUpWhenTheWaitWouldPassTheTotalBudget() {
    RetryPolicy p =
        new RetryPolicy(
            10, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, 0, Duration.ofSeconds(5));
    assertThat(p.nextDelay(2, Duration.ofMillis(4500), null, () -> 0.5)).isEmpty();
    assertThat(p.nextDelay(2, Duration.ofSeconds(3), null, () -> 0.5))
        .contains(Duration.ofSeconds(1));
  }

  @Test
  void retryAfterWinsOverBackoff() {
    assertThat(policy.nextDelay(1, Duration.ZERO, Duration.ofSeconds(3), () -> 0.5))
        .contains(Duration.ofSeconds(3));
  }

  @Test
  void retryAfterParsesSecondsAndDates() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(RetryPolicy.parseRetryAfter("7", now)).contains(Duration.ofSeconds(7));
    assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryPolicy.parseRetryAfter("soon", now)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter(null, now)).isEmpty();
  }

  @Test
  void transientStatusesAreRetryable() {
    assertThat(RetryPolicy.isRetryableStatus(503)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(429)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(404)).isFalse();
    assertThat(RetryPolicy.isRetryableStatus(401)).isFalse();
  }

  @Test
  void connectionFailuresAreRetryableThroughWrappers() {
    assertThat(
            RetryPolicy.isRetryableFailure(
                new IOException("wrapped", new ConnectException("refused"))))
        .isTrue();
    assertThat(RetryPolicy.isRetryableFailure(new SocketException("Connection reset"))).isTrue();
    assertThat(RetryPolicy.isRetryableFailure(new IOException("digest mismatch"))).isFalse();
  }
}
