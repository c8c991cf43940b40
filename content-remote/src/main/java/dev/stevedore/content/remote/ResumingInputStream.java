package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A blob download that survives a broken connection: when reading fails with a transient error
 * (reset, closed, timed out), it asks for the rest with a {@code Range} request from the byte where
 * it broke, as often as the {@link RetryPolicy} allows. The caller verifies the whole stream end to
 * end (it is wrapped in a verifying stream), so a resumed download that does not fit is caught.
 */
final class ResumingInputStream extends InputStream {
  private static final System.Logger LOG = System.getLogger(ResumingInputStream.class.getName());

  /**
   * Opens the blob from an offset: a GET with {@code Range: bytes=offset-} when offset is not 0.
   */
  @FunctionalInterface
  interface Opener {
    InputStream open(long offset) throws IOException;
  }

  private final Opener opener;
  private final RetryPolicy policy;
  private final long size;
  private final String what;
  private InputStream current;
  private long offset;
  private int attempt = 1;
  private final long started = System.nanoTime();

  ResumingInputStream(
      InputStream first, Opener opener, RetryPolicy policy, long size, String what) {
    this.current = Objects.requireNonNull(first, "first");
    this.opener = opener;
    this.policy = policy;
    this.size = size;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      try {
        int n = current.read(b, off, len);
        if (n > 0) {
          offset += n;
        }
        return n;
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        if (offset >= size || !RetryPolicy.isRetryableFailure(e)) {
          throw e;
        }
        resume(e);
      }
    }
  }

  private void resume(IOException failure) throws IOException {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    Optional<Duration> delay =
        policy.nextDelay(attempt, elapsed, null, () -> ThreadLocalRandom.current().nextDouble());
    if (delay.isEmpty()) {
      throw new ContentException(
          what
              + ": download broke at byte "
              + offset
              + " of "
              + size
              + " after "
              + attempt
              + " attempts: "
              + failure.getMessage(),
          failure);
    }
    attempt++;
    LOG.log(
        Level.DEBUG,
        () ->
            what
                + ": download broke at byte "
                + offset
                + " ("
                + failure.getMessage()
                + "), resuming with a Range request, attempt "
                + attempt);
    closeQuietly(current);
    try {
      Thread.sleep(delay.get().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + ": interrupted while waiting to resume");
    }
    current = opener.open(offset);
  }

  @Override
  public int available() throws IOException {
    return current.available();
  }

  @Override
  public void close() throws IOException {
    current.close();
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // the broken connection is being replaced
    }
  }
}
