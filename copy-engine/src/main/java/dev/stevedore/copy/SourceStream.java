package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.internal.ForwardInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The stream a destination reads a node's content from: counts bytes for the listener, stops
 * reading as soon as the copy is cancelled (even when the stores ignore interrupts), and remembers
 * a failure of the source so that a push failing because of it is blamed on the source.
 */
final class SourceStream extends ForwardInputStream implements dev.stevedore.content.VerifiedStream {
  private final Descriptor desc;
  private final CopyListener listener;
  private final BooleanSupplier cancelled;
  private long count;
  private @Nullable IOException sourceFailure;

  SourceStream(InputStream in, Descriptor desc, CopyListener listener, BooleanSupplier cancelled) {
    super(Objects.requireNonNull(in, "in"));
    this.desc = desc;
    this.listener = listener;
    this.cancelled = cancelled;
  }

  /**
   * Every source stream wraps verified content (a verifying stream, or metadata bytes verified
   * when cached), so the destination need not hash it again.
   */
  @Override
  public Descriptor verifiedDescriptor() {
    return desc;
  }

  /** The failure the source raised while being read, or null. */
  @Nullable IOException sourceFailure() {
    return sourceFailure;
  }


  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (cancelled.getAsBoolean()) {
      throw new InterruptedIOException("copy of " + desc.digest() + " cancelled");
    }
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      if (sourceFailure == null) {
        sourceFailure = e;
      }
      throw e;
    }
    if (n > 0) {
      count += n;
      listener.bytesTransferred(desc, count);
    }
    return n;
  }




}
