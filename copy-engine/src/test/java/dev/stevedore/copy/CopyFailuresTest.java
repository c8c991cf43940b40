package dev.stevedore.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.ForwardingStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the copy engine reports failures: the CopyError text, and the one rule for interrupts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CopyFailuresTest {
  private final MemoryStore sourceStore = new MemoryStore();
  private final MemoryStore destinationStore = new MemoryStore();

  @Test
  void theMessageFollowsOrasGoCopyError() {
    CopyException e =
        new CopyException(
            CopyException.Side.SOURCE,
            CopyException.Operation.RESOLVE,
            null,
            "v1",
            new NotFoundException("v1: not found", "v1"));
    assertThat(e).hasMessage("failed to perform \"Resolve\" on source: v1: not found");
    assertThat(e.what()).isEqualTo("v1");
    assertThat(
            new CopyException(
                CopyException.Side.DESTINATION,
                CopyException.Operation.MAP_ROOT,
                null,
                null,
                new IOException("no platform")))
        .hasMessage("failed to perform \"MapRoot\" on destination: no platform");
  }

  @Test
  void aMissingSourceTagIsACopyExceptionOnTheSourceWithTheOrasGoText() {
    assertThatThrownBy(
            () -> Copy.copy(sourceStore, "v1", destinationStore, "v1", CopyOptions.defaults()))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.SOURCE);
              assertThat(e.operation()).isEqualTo(CopyException.Operation.RESOLVE);
              assertThat(e.what()).isEqualTo("v1");
              assertThat(ContentException.find(e, NotFoundException.class))
                  .get()
                  .extracting(NotFoundException::reference)
                  .isEqualTo("v1");
            })
        .hasMessageStartingWith("failed to perform \"Resolve\" on source: v1");
  }

  @Test
  void aStoreTimeoutIsAStoreFailureNotAnInterrupt() {
    // SocketTimeoutException is an InterruptedIOException; the caller was not interrupted.
    ForwardingStore timingOut =
        new ForwardingStore(sourceStore) {
          @Override
          public Descriptor resolve(String reference) throws IOException {
            throw new SocketTimeoutException("read timed out");
          }
        };
    assertThatThrownBy(
            () -> Copy.copy(timingOut, "v1", destinationStore, "v1", CopyOptions.defaults()))
        .isInstanceOfSatisfying(
            CopyException.class,
            e -> {
              assertThat(e.side()).isEqualTo(CopyException.Side.SOURCE);
              assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class);
            });
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aStoreInterruptedWithoutTheCallerBeingInterruptedIsAStoreFailure() {
    ForwardingStore interrupted =
        new ForwardingStore(sourceStore) {
          @Override
          public Descriptor resolve(String reference) throws IOException {
            throw new InterruptedIOException("the store gave up");
          }
        };
    assertThatThrownBy(
            () ->
                Copy.extendedCopy(
                    interrupted, "v1", destinationStore, "v1", ExtendedCopyOptions.defaults()))
        .isInstanceOf(CopyException.class)
        .hasCauseInstanceOf(InterruptedIOException.class);
  }

  @Test
  void anInterruptOfTheCallingThreadIsReportedAsItselfWithTheStatusSetAgain() {
    ForwardingStore interruptible =
        new ForwardingStore(sourceStore) {
          @Override
          public Descriptor resolve(String reference) throws IOException {
            Thread.currentThread()
                .interrupt(); // as if the caller's thread were interrupted during the call
            throw new InterruptedIOException("resolve interrupted");
          }
        };
    try {
      assertThatThrownBy(
              () -> Copy.copy(interruptible, "v1", destinationStore, "v1", CopyOptions.defaults()))
          .isExactlyInstanceOf(InterruptedIOException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
