package dev.stevedore.content.internal;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A {@link VerifyingInputStream} seen through an {@link Observer} (the copy engine counts bytes,
 * stops on cancellation and remembers which side failed). Besides a {@code VerifyingInputStream}
 * itself, it is the only stream that {@link VerifyingInputStream#wrap} passes through without a
 * second hash pass: it can only be made around a {@code VerifyingInputStream}, so no caller can use
 * it to switch verification off.
 *
 * <p>Not API: shared by Stevedore's own modules.
 */
public final class ObservedStream extends ForwardInputStream {
  /** What the owner of the stream learns while it is read. */
  public interface Observer {
    /**
     * Called before each read; may refuse it.
     *
     * @throws IOException to fail the read (for example, the copy was cancelled)
     */
    void beforeRead() throws IOException;

    /**
     * Called after a read that returned bytes.
     *
     * @param total bytes handed out so far
     */
    void bytesRead(long total);

    /**
     * Called when reading the verifying stream failed (the source, or the verification).
     *
     * @param failure the failure, rethrown to the reader after this call
     */
    void readFailed(IOException failure);
  }

  private final VerifyingInputStream verifying;
  private final Observer observer;
  private long total;

  /**
   * Observes {@code in}.
   *
   * @param in the verifying stream
   * @param observer told about every read
   */
  public ObservedStream(VerifyingInputStream in, Observer observer) {
    super(Objects.requireNonNull(in, "in"));
    this.verifying = in;
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * {@code in} itself when it is a verifying stream for the same digest and size, else a new
   * verifying stream around it.
   *
   * @param in the content
   * @param expected the descriptor it must match
   * @return a verifying stream
   */
  public static VerifyingInputStream verifying(InputStream in, Descriptor expected) {
    if (in instanceof VerifyingInputStream v && matches(v.expected(), expected)) {
      return v;
    }
    return new VerifyingInputStream(in, expected);
  }

  /**
   * Tells whether two descriptors name the same content (digest and size).
   *
   * @param a one descriptor
   * @param b the other
   * @return true when digest and size are equal
   */
  public static boolean matches(Descriptor a, Descriptor b) {
    return a.digest().equals(b.digest()) && a.size() == b.size();
  }

  /**
   * The descriptor the content is checked against.
   *
   * @return the descriptor of the verifying stream
   */
  public Descriptor verifiedDescriptor() {
    return verifying.expected();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    observer.beforeRead();
    int n;
    try {
      n = verifying.read(b, off, len);
    } catch (IOException e) {
      observer.readFailed(e);
      throw e;
    }
    if (n > 0) {
      total += n;
      observer.bytesRead(total);
    }
    return n;
  }
}
