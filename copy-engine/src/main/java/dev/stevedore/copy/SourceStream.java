package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.VerifyingInputStream;
import dev.stevedore.content.internal.ObservedStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What the copy engine learns while a destination reads a node's content: it counts bytes for the
 * listener, stops the reading as soon as the copy is cancelled (even when the stores ignore
 * interrupts), and remembers a failure of the source so that a push failing because of it is blamed
 * on the source. The destination reads {@link #stream()}, an {@link ObservedStream} around the
 * verifying stream, which the stores recognise as verified (no second hash pass).
 */
final class SourceStream implements ObservedStream.Observer {
  private final Descriptor desc;
  private final CopyListener listener;
  private final BooleanSupplier cancelled;
  private final ObservedStream stream;
  private @Nullable IOException sourceFailure;

  SourceStream(InputStream in, Descriptor desc, CopyListener listener, BooleanSupplier cancelled) {
    this.desc = Objects.requireNonNull(desc, "desc");
    this.listener = listener;
    this.cancelled = cancelled;
    VerifyingInputStream verifying =
        ObservedStream.verifying(Objects.requireNonNull(in, "in"), desc);
    this.stream = new ObservedStream(verifying, this);
  }

  /** The stream the destination reads. */
  ObservedStream stream() {
    return stream;
  }

  /** The failure the source raised while being read, or null. */
  @Nullable IOException sourceFailure() {
    return sourceFailure;
  }

  @Override
  public void beforeRead() throws IOException {
    if (cancelled.getAsBoolean()) {
      throw new InterruptedIOException("copy of " + desc.digest() + " cancelled");
    }
  }

  @Override
  public void bytesRead(long total) {
    listener.bytesTransferred(desc, total);
  }

  @Override
  public void readFailed(IOException failure) {
    if (sourceFailure == null) {
      sourceFailure = failure;
    }
  }
}
