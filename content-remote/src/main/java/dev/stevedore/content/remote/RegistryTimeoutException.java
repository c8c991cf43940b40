package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The registry sent nothing for the idle timeout while a request waited for it (a stalled registry,
 * a proxy holding the connection). The message names the timeout and the option that sets it,
 * {@link RegistryOptions.AbstractBuilder#idleTimeout}; {@link #timeout()} gives the value, so a
 * command line can name its own flag.
 */
public class RegistryTimeoutException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The timeout, serialized with the exception. */
  private final Duration timeout;

  /**
   * Creates the exception.
   *
   * @param message what timed out, after how long, and how to raise the timeout
   * @param timeout the idle timeout that elapsed
   * @param cause the underlying timeout, may be null
   */
  public RegistryTimeoutException(String message, Duration timeout, @Nullable Throwable cause) {
    super(message, cause);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * The idle timeout that elapsed.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }
}
