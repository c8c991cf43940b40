package dev.stevedore.content.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Streams content into a file that is flushed to disk before it is used: the stores' way of writing
 * a blob into its temporary file (the OCI layout's ingest file, the file store's partial file).
 *
 * <p>Content is copied in 256 KiB pieces straight to the channel. A big file is flushed to disk
 * behind the writing ("flush-behind"): every {@link #FLUSH_BEHIND_BYTES} written, a background
 * thread flushes what is written so far while the content keeps streaming in, so the final flush
 * has only the tail left to write. Without it the kernel starts writing a file back only when its
 * dirty pages reach a share of memory or age 30 s, so the whole file waited for the final flush (a
 * 256 MiB blob's took 0.67 s, a few milliseconds with flush-behind). The final flush is done by
 * {@link #write} itself, or left to the caller when it flushes many files together (the OCI
 * layout's batch checkpoint): the file is flushed whole before it is used either way.
 */
public final class DurableWrite {
  /** The size of the pieces content is copied in. */
  private static final int BUFFER_SIZE = 256 * 1024;

  /** Bytes written between two background flushes of a big file. */
  public static final long FLUSH_BEHIND_BYTES = 32L << 20;

  private static final AtomicInteger FLUSHERS = new AtomicInteger();

  /**
   * Background flushes: a thread per big write in flight, at most 8, none kept when idle. When all
   * are busy a write just flushes everything at its end, as without flush-behind.
   */
  private static final ThreadPoolExecutor FLUSH_BEHIND =
      new ThreadPoolExecutor(
          0,
          8,
          10,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread thread = new Thread(r, "stevedore-flush-behind-" + FLUSHERS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private DurableWrite() {}

  /**
   * Copies {@code in} to its end into {@code channel} (from the channel's position), flushing
   * behind the writing, then, when {@code sync}, flushes the file's content and metadata to disk.
   * The thread's interrupt is checked between pieces.
   *
   * @param in the content (a verifying stream, so that it throws before its end on bad content)
   * @param channel the file to write, open for writing
   * @param sizeHint the expected size, used to size the buffer of small content
   * @param sync whether the file must be on disk when this returns (else the caller flushes it
   *     before it is used; most of it is on disk already)
   * @param what what is being written, for the message of an interrupt ("push of sha256:...")
   * @throws InterruptedIOException if the thread is interrupted
   * @throws IOException if the content cannot be read or the file written or flushed
   */
  public static void write(
      InputStream in, FileChannel channel, long sizeHint, boolean sync, String what)
      throws IOException {
    byte[] buffer = new byte[(int) Math.min(BUFFER_SIZE, Math.max(sizeHint, 1))];
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    long unflushed = 0;
    Future<?> flushing = null;
    try {
      int n;
      while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException(what + " interrupted; nothing was stored");
        }
        wrapped.clear().limit(n);
        while (wrapped.hasRemaining()) {
          channel.write(wrapped);
        }
        unflushed += n;
        if (unflushed >= FLUSH_BEHIND_BYTES && (flushing == null || flushing.isDone())) {
          flushing = flushBehind(channel, flushing);
          unflushed = 0;
        }
      }
      if (flushing != null) {
        awaitFlush(flushing);
        flushing = null;
      }
    } finally {
      if (flushing != null) {
        flushing.cancel(false);
        awaitQuietly(flushing); // the caller closes the channel next; no flush may still run on it
      }
    }
    if (sync) {
      channel.force(true);
    }
  }

  /** Starts a background flush of what is written so far, unless all flush threads are busy. */
  private static @Nullable Future<?> flushBehind(FileChannel channel, @Nullable Future<?> previous)
      throws IOException {
    if (previous != null) {
      awaitFlush(previous); // done already: surfaces its failure
    }
    try {
      return FLUSH_BEHIND.submit(
          () -> {
            channel.force(false);
            return null;
          });
    } catch (RejectedExecutionException e) {
      return null; // every flush thread busy: the final flush does it all
    }
  }

  private static void awaitFlush(Future<?> flush) throws IOException {
    try {
      flush.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while flushing a file to disk");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io
          ? io
          : new IOException("cannot flush a file to disk: " + cause, cause);
    }
  }

  private static void awaitQuietly(Future<?> flush) {
    boolean interrupted = false;
    while (true) {
      try {
        flush.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | CancellationException e) {
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
