package dev.stevedore.content;

import dev.stevedore.content.internal.ObservedStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Wraps a stream of content and checks it against its descriptor while it is read: it counts and
 * hashes every byte, never hands out more than the descriptor's size, and before it reports the end
 * of the stream it checks that the size was reached, that the source really ended there, and that
 * the digest matches. A consumer that reads to {@code -1} has therefore read exactly the described
 * content, or caught an exception:
 *
 * <ul>
 *   <li>a stream that ends early: {@link DigestMismatchException};
 *   <li>a stream with bytes past the size: {@link SizeLimitExceededException};
 *   <li>bytes that hash differently: {@link DigestMismatchException}.
 * </ul>
 *
 * <p>Not thread-safe, like any InputStream. Closing closes the wrapped stream.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final Descriptor expected;
  private final Digester digester;
  private long remaining;
  private boolean verified;

  /**
   * Wraps {@code in}.
   *
   * @param in the raw content
   * @param expected the descriptor it must match
   * @throws IllegalArgumentException if the descriptor's digest algorithm is unsupported
   */
  public VerifyingInputStream(InputStream in, Descriptor expected) {
    super(Objects.requireNonNull(in, "in"));
    this.expected = Objects.requireNonNull(expected, "expected");
    this.digester = Digester.of(expected.digest().algorithm());
    this.remaining = expected.size();
  }

  /**
   * A stream that verifies {@code in} against {@code expected}: {@code in} itself when it is
   * already a {@code VerifyingInputStream} for the same digest and size (or Stevedore's own
   * copy-engine stream around one), so content is not hashed twice; else a new verifying stream. No
   * other stream is trusted, whatever it implements. Read it to its end before trusting the
   * content.
   *
   * @param in the content
   * @param expected the descriptor it must match
   * @return a stream that throws before its end when the content does not match
   */
  public static InputStream wrap(InputStream in, Descriptor expected) {
    if (in instanceof VerifyingInputStream v && ObservedStream.matches(v.expected, expected)) {
      return in;
    }
    if (in instanceof ObservedStream o
        && ObservedStream.matches(o.verifiedDescriptor(), expected)) {
      return in;
    }
    return new VerifyingInputStream(in, expected);
  }

  /**
   * The descriptor the content is checked against.
   *
   * @return the expected descriptor
   */
  public Descriptor expected() {
    return expected;
  }

  /**
   * Bytes handed out so far.
   *
   * @return the count
   */
  public long count() {
    return expected.size() - remaining;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (verified) {
      return -1;
    }
    if (remaining == 0) {
      finish();
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw new DigestMismatchException(
          expected.digest()
              + ": content ended after "
              + count()
              + " of "
              + expected.size()
              + " bytes (truncated stream); nothing was stored, retry the transfer",
          expected.digest(),
          null);
    }
    digester.update(b, off, n);
    remaining -= n;
    return n;
  }

  /**
   * Reads to the end (discarding the bytes) and verifies.
   *
   * @throws IOException if the content does not match or reading fails
   */
  public void verifyRemaining() throws IOException {
    byte[] buffer = new byte[8192];
    while (read(buffer, 0, buffer.length) >= 0) {
      // drain
    }
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must be hashed too, so read them.
    long skipped = 0;
    byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(super.available(), remaining);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // not supported
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported on a verifying stream");
  }

  private void finish() throws IOException {
    int extra = in.read();
    if (extra >= 0) {
      throw new SizeLimitExceededException(
          expected.digest()
              + ": content is longer than the "
              + expected.size()
              + " bytes its descriptor declares; nothing was stored",
          expected.size());
    }
    Digest actual = digester.digest();
    if (!actual.equals(expected.digest())) {
      throw new DigestMismatchException(
          expected.digest()
              + ": content digest is "
              + actual
              + " ("
              + expected.size()
              + " bytes); the source is corrupt or lying, nothing was stored",
          expected.digest(),
          actual);
    }
    verified = true;
  }
}
