package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The one place where the copy engine turns failures into what its callers see.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>A store call that fails is reported as a {@link CopyException} naming the side, the
 *       operation and the descriptor, with the store's exception as its cause ({@link #store}). A
 *       {@code CopyException} already made (by a nested store call) passes through unchanged.
 *   <li>Interrupts: the engine reports an {@link InterruptedIOException} only for an interrupt of
 *       the thread that called it, with that thread's interrupt status set again: when the caller's
 *       thread is interrupted while it waits for workers ({@link #interrupted}), or while it runs a
 *       store call itself and the call fails with an {@code InterruptedIOException} (not a {@link
 *       SocketTimeoutException}). Any other {@code InterruptedIOException} of a store (a socket
 *       timeout, a store's own interrupted I/O) is a store failure like any other, wrapped in a
 *       {@code CopyException}. (The interrupts the engine sends its workers to cancel them never
 *       reach the caller: the failure that caused the cancellation does.)
 *   <li>A failure that a worker reported is rethrown as it is: an {@code IOException} (a {@code
 *       CopyException}, or what a hook threw), an unchecked exception or an error ({@link
 *       #rethrow}).
 * </ul>
 */
final class Failures {
  private Failures() {}

  /** A store call that returns a value. */
  @FunctionalInterface
  interface StoreCall<T> {
    T call() throws IOException;
  }

  /** A store call that returns nothing. */
  @FunctionalInterface
  interface StoreRun {
    void run() throws IOException;
  }

  /**
   * Runs a store call and reports its failure by the rules above.
   *
   * @param side which store is called
   * @param operation what it is asked to do
   * @param desc the content concerned, or null
   * @param what what is worked on when there is no descriptor (a reference), or null
   * @param call the call
   * @return what the call returned
   * @throws CopyException when the store fails
   * @throws InterruptedIOException when the calling thread is interrupted
   */
  static <T> T store(
      CopyException.Side side,
      CopyException.Operation operation,
      @Nullable Descriptor desc,
      @Nullable String what,
      StoreCall<T> call)
      throws IOException {
    try {
      return call.call();
    } catch (IOException e) {
      throw wrap(side, operation, desc, what, e);
    }
  }

  /**
   * Runs a store call that returns nothing; see {@link #store(CopyException.Side,
   * CopyException.Operation, Descriptor, String, StoreCall)}.
   *
   * @param side which store is called
   * @param operation what it is asked to do
   * @param desc the content concerned, or null
   * @param what what is worked on when there is no descriptor (a reference), or null
   * @param run the call
   * @throws CopyException when the store fails
   * @throws InterruptedIOException when the calling thread is interrupted
   */
  static void run(
      CopyException.Side side,
      CopyException.Operation operation,
      @Nullable Descriptor desc,
      @Nullable String what,
      StoreRun run)
      throws IOException {
    try {
      run.run();
    } catch (IOException e) {
      throw wrap(side, operation, desc, what, e);
    }
  }

  /**
   * The exception that reports a failed store call: the failure itself when it is a {@code
   * CopyException} or an interrupt of the calling thread, else a new {@code CopyException}.
   *
   * @param side which store was called
   * @param operation what it was asked to do
   * @param desc the content concerned, or null
   * @param what what was worked on when there is no descriptor, or null
   * @param failure what the store threw
   * @return the exception to throw
   */
  static IOException wrap(
      CopyException.Side side,
      CopyException.Operation operation,
      @Nullable Descriptor desc,
      @Nullable String what,
      IOException failure) {
    if (failure instanceof CopyException || isCallerInterrupt(failure)) {
      return failure;
    }
    return new CopyException(side, operation, desc, what, failure);
  }

  private static boolean isCallerInterrupt(IOException failure) {
    return failure instanceof InterruptedIOException
        && !(failure instanceof SocketTimeoutException)
        && Thread.currentThread().isInterrupted();
  }

  /**
   * The exception for a caller's thread interrupted while it waited; sets its interrupt status
   * again.
   *
   * @param message what was interrupted, and what that leaves behind
   * @param cause the interrupt
   * @return the exception to throw
   */
  static InterruptedIOException interrupted(String message, InterruptedException cause) {
    Thread.currentThread().interrupt();
    InterruptedIOException interrupted = new InterruptedIOException(message);
    interrupted.initCause(cause);
    return interrupted;
  }

  /**
   * Rethrows the failure a worker reported, as it is; nothing when there is none.
   *
   * @param failure the first failure of a run, or null
   * @throws IOException when the failure is one
   */
  static void rethrow(@Nullable Throwable failure) throws IOException {
    if (failure == null) {
      return;
    }
    if (failure instanceof IOException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    // Tasks throw only IOException, unchecked exceptions and errors; anything else is a bug here.
    throw new IllegalStateException("unexpected checked failure of a copy task", failure);
  }
}
