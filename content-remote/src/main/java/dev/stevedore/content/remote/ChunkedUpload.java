package dev.stevedore.content.remote;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digester;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * A chunked upload (distribution-spec "pushing a blob in chunks"): {@code PATCH}es of at most one
 * chunk, then a {@code PUT ?digest=} with the last one. Two chunks are held in memory: the one in
 * flight and the next. When a PATCH fails on the way (connection lost, 5xx, 416), the client asks
 * the session's status ({@code GET <location>}, {@code Range: 0-<last>}) and resumes from the
 * offset the registry has, instead of restarting. The last chunk is sent only after the stream has
 * verified size and digest, so content that does not match is never committed. The next chunk is
 * read while the previous one is sent, so two chunks are in memory.
 */
final class ChunkedUpload {
  private static final System.Logger LOG = System.getLogger(ChunkedUpload.class.getName());
  static final int MAX_RESUMES_PER_CHUNK = 3;

  private final RegistryClient client;

  /** Known in advance, or (streaming) only once the stream has ended. */
  private @Nullable Descriptor expected;

  private final InputStream in;
  private final int chunkSize;

  /** Streaming: the media type of the descriptor, and the hash taken on the way. */
  private final @Nullable String streamedMediaType;

  private final @Nullable Digester digester;
  private URI location;
  private long offset;
  private int resumes;

  ChunkedUpload(
      RegistryClient client,
      URI location,
      Descriptor expected,
      InputStream verifiedContent,
      int chunkSize) {
    this.client = client;
    this.location = location;
    this.expected = expected;
    this.in = verifiedContent;
    this.chunkSize = chunkSize;
    this.streamedMediaType = null;
    this.digester = null;
  }

  private ChunkedUpload(
      RegistryClient client, URI location, String mediaType, InputStream content, int chunkSize) {
    this.client = client;
    this.location = location;
    this.expected = null;
    this.in = content;
    this.chunkSize = chunkSize;
    this.streamedMediaType = mediaType;
    this.digester = Digester.sha256();
  }

  /**
   * An upload of content whose size and digest are unknown: chunks are hashed as they are read, and
   * the final {@code PUT} carries the digest computed on the fly. Only one chunk is in memory.
   */
  static ChunkedUpload streaming(
      RegistryClient client, URI location, String mediaType, InputStream content, int chunkSize) {
    return new ChunkedUpload(client, location, mediaType, content, chunkSize);
  }

  /**
   * The descriptor of what was uploaded; for a streaming upload, known once {@link #run()}
   * returned.
   */
  Descriptor descriptor() {
    if (expected == null) {
      throw new IllegalStateException("the streamed upload has not completed");
    }
    return expected;
  }

  private String what() {
    return expected != null
        ? expected.digest().toString()
        : "a streamed " + streamedMediaType + " blob";
  }

  /** How many times a chunk was resumed from the registry's offset (for tests and logs). */
  int resumes() {
    return resumes;
  }

  /**
   * Reads the next chunk while the registry takes the previous one: the {@code PATCH} of a chunk
   * runs on the client's upload executor while this thread reads (and hashes) the next chunk into a
   * second buffer, so reading, hashing and the registry's work overlap instead of taking turns (a 1
   * GiB upload in 8 MiB chunks took 2.5 times as long as one PUT when they took turns). At most one
   * PATCH is in flight and two chunks are in memory; the last chunk is sent only once the stream
   * has reported its end.
   */
  void run() throws IOException {
    byte[] chunk = new byte[chunkSize];
    byte[] spare = null;
    InFlight previous = null;
    int carry = -1;
    try {
      while (true) {
        int n = 0;
        if (carry >= 0) {
          chunk[0] = (byte) carry;
          n = 1;
          carry = -1;
        }
        int read = in.readNBytes(chunk, n, chunk.length - n);
        if (digester != null) {
          digester.update(chunk, n, read);
        }
        n += read;
        boolean last = n < chunk.length;
        if (!last) {
          int next = in.read();
          if (next < 0) {
            last = true;
          } else {
            carry = next;
            if (digester != null) {
              digester.update((byte) next);
            }
          }
        }
        if (previous != null) {
          InFlight done = previous;
          previous = null;
          done.await();
        }
        if (last) {
          // the stream reported its end, so size and digest matched
          finish(chunk, n);
          return;
        }
        byte[] sending = chunk;
        int length = n;
        previous = InFlight.start(client.uploads(), () -> patch(sending, length));
        chunk = spare != null ? spare : new byte[chunkSize];
        spare = sending;
      }
    } finally {
      if (previous != null) {
        // reading failed (or was interrupted) while a PATCH was in flight: stop it before the
        // caller cancels the session
        previous.abandon();
      }
    }
  }

  /** A blocking action of the upload, run on another thread. */
  private interface Action {
    void run() throws IOException;
  }

  /** A chunk's PATCH running on the upload executor. */
  private static final class InFlight implements Runnable {
    private final Action action;
    private final java.util.concurrent.CountDownLatch ended =
        new java.util.concurrent.CountDownLatch(1);
    private volatile @Nullable Thread runner;
    private volatile boolean abandoned;
    private @Nullable Throwable failure;

    private InFlight(Action action) {
      this.action = action;
    }

    static InFlight start(java.util.concurrent.Executor executor, Action action) {
      InFlight flight = new InFlight(action);
      executor.execute(flight);
      return flight;
    }

    @Override
    public void run() {
      runner = Thread.currentThread();
      try {
        if (!abandoned) {
          action.run();
        }
      } catch (Throwable t) {
        failure = t;
      } finally {
        runner = null;
        // the interrupt of abandon() is meant for the action only
        Thread.interrupted();
        ended.countDown();
      }
    }

    /** Waits for the action; its failure is rethrown here. Interrupting the wait abandons it. */
    void await() throws IOException {
      try {
        ended.await();
      } catch (InterruptedException e) {
        abandon();
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("upload interrupted; the chunk in flight was cancelled");
      }
      Throwable t = failure;
      if (t instanceof IOException io) {
        throw io;
      }
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error e) {
        throw e;
      }
    }

    /** Interrupts the action (its request is cancelled) and waits for it to end. */
    void abandon() {
      abandoned = true;
      Thread thread = runner;
      if (thread != null) {
        thread.interrupt();
      }
      boolean interrupted = false;
      while (true) {
        try {
          ended.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void patch(byte[] chunk, int length) throws IOException {
    int sent = 0;
    int attempts = 0;
    while (true) {
      try {
        int from = sent;
        long start = offset + sent;
        long end = offset + length - 1;
        URI target = location;
        HttpResponse response =
            client.run(
                "uploading bytes " + start + "-" + end + " of " + what(),
                c ->
                    client
                        .transport()
                        .send(
                            new HttpRequest(
                                    HttpMethod.PATCH,
                                    target,
                                    java.util.Map.of(
                                        "Content-Type",
                                        "application/octet-stream",
                                        "Content-Range",
                                        start + "-" + end),
                                    null,
                                    c)
                                .withBody(slice(chunk, from, length)))
                        .compose(
                            r ->
                                r.status() == 202
                                    ? r.discard().map(r)
                                    : ErrorResponses.fail(r, null)));
        location = nextLocation(response);
        offset += length;
        return;
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        if (!resumable(e) || ++attempts > MAX_RESUMES_PER_CHUNK) {
          throw e;
        }
        long have;
        try {
          have = status();
        } catch (RegistryResponseException gone) {
          if (gone.statusCode() != 404) {
            throw gone;
          }
          // Some registries (CNCF distribution) drop a session whose connection broke in the middle
          // of a chunk; the bytes already sent cannot be streamed again from here.
          throw new ContentException(
              "upload of "
                  + what()
                  + ": the connection broke in the middle of the"
                  + " chunk at byte "
                  + offset
                  + " and the registry discarded the upload session ("
                  + gone.errorCodes()
                  + "); the upload cannot resume, push the blob again",
              e);
        }
        if (have < offset || have > offset + length) {
          throw new ContentException(
              "upload of "
                  + what()
                  + ": the registry reports "
                  + have
                  + " bytes received, outside the chunk at "
                  + offset
                  + "; cannot resume, retry the push",
              e);
        }
        resumes++;
        LOG.log(
            Level.INFO,
            "upload of " + what() + " interrupted (" + e.getMessage() + "); resuming at " + have);
        sent = (int) (have - offset);
        if (sent == length) {
          offset += length;
          return;
        }
      }
    }
  }

  private static boolean resumable(IOException e) {
    if (e instanceof RegistryResponseException r) {
      return r.statusCode() >= 500 || r.statusCode() == 416;
    }
    return !(e instanceof dev.stevedore.content.DigestMismatchException);
  }

  /** Asks the registry how many bytes of the session it has. */
  private long status() throws IOException {
    URI target = location;
    HttpResponse response =
        client.run(
            "querying the upload status of " + what(),
            c ->
                client
                    .transport()
                    .send(HttpRequest.of(HttpMethod.GET, target, c))
                    .compose(
                        r ->
                            r.status() == 204 || r.status() == 202
                                ? r.discard().map(r)
                                : ErrorResponses.fail(r, null)));
    if (response.header("Location") != null) {
      location = nextLocation(response);
    }
    String range = response.header("Range");
    if (range == null) {
      throw new ContentException(
          response.request() + ": the upload status has no Range header; cannot resume");
    }
    String value = range.trim();
    if (value.startsWith("bytes=")) {
      value = value.substring("bytes=".length());
    }
    int dash = value.indexOf('-');
    try {
      long last = Long.parseLong(value.substring(dash + 1).trim());
      // distribution answers "0-0" for an empty session
      return last == 0 && offset == 0 ? 0 : last + 1;
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new ContentException(
          response.request() + ": malformed upload Range header \"" + range + "\"", e);
    }
  }

  private URI nextLocation(HttpResponse response) throws ContentException {
    String next = response.header("Location");
    return next == null
        ? location
        : client.sameOrigin(response.request().uri(), next, "upload Location");
  }

  /** A part of the chunk as a streamed body: the chunk is never copied whole. */
  private static HttpRequest.Body slice(byte[] chunk, int from, int to) {
    return new HttpRequest.Stream(
        new java.io.ByteArrayInputStream(chunk, from, to - from), to - from);
  }

  private void finish(byte[] chunk, int length) throws IOException {
    if (digester != null) {
      expected =
          Descriptor.of(
              java.util.Objects.requireNonNull(streamedMediaType),
              digester.digest(),
              offset + length);
    }
    Descriptor done = java.util.Objects.requireNonNull(expected);
    URI put = BlobStore.withDigest(location, done);
    long start = offset;
    HttpResponse response =
        client.run(
            "completing the upload of " + what(),
            c -> {
              HttpRequest request =
                  new HttpRequest(
                      HttpMethod.PUT,
                      put,
                      java.util.Map.of("Content-Type", "application/octet-stream"),
                      null,
                      c);
              if (length > 0) {
                request =
                    request
                        .withHeader("Content-Range", start + "-" + (start + length - 1))
                        .withBody(slice(chunk, 0, length));
              }
              return client
                  .transport()
                  .send(request)
                  .compose(
                      r -> r.status() == 201 ? r.discard().map(r) : ErrorResponses.fail(r, null));
            });
    Headers.checkContentDigest(response, done.digest());
  }
}
