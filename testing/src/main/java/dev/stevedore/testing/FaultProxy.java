package dev.stevedore.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A fault-injecting HTTP/1.1 proxy between a client and a real server, on loopback, for tests of
 * retries and resumption. It forwards bytes as they are, and on request:
 *
 * <ul>
 *   <li>{@link #answer}: answers the next matching requests itself with a status (e.g. 503 with
 *       {@code Retry-After}, 429) without forwarding them;
 *   <li>{@link #resetDownloadAfter}: resets the next connections after N bytes of response;
 *   <li>{@link #resetUploadAfter}: resets the next connections after N bytes of request;
 *   <li>{@link #delay}: holds every request back for a while;
 *   <li>{@link #stall}: takes the next matching requests and never answers them (a stalled
 *       registry);
 *   <li>{@link #stallUpload}: stops reading the body of the next matching requests (a registry that
 *       stops taking an upload);
 *   <li>{@link #stallDownloadAfter}: stops forwarding the response of the next connections after N
 *       bytes, keeping them open (a registry that stalls mid-body).
 * </ul>
 *
 * <p>Every request on a kept-alive connection is seen (request bodies are framed by {@code
 * Content-Length} or chunked encoding), so faults hit the N-th request whatever the client's
 * connection pooling. Counts connections, requests and injected faults. Bounded: one thread pair
 * per connection, all daemon, all stopped by {@link #close()}.
 */
public final class FaultProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
          });
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger downloadResets = new AtomicInteger();
  private final AtomicLong downloadResetBytes = new AtomicLong();
  private final AtomicInteger uploadResets = new AtomicInteger();
  private final AtomicInteger downloadStalls = new AtomicInteger();
  private final AtomicLong downloadStallBytes = new AtomicLong();
  private final AtomicLong uploadResetBytes = new AtomicLong();
  private volatile Duration delay = Duration.ZERO;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger injected = new AtomicInteger();
  private final List<String> requestLines = Collections.synchronizedList(new ArrayList<>());
  private final List<String> requestHeads = Collections.synchronizedList(new ArrayList<>());

  private record Reset(Predicate<String> requestLine, AtomicInteger left) {}

  private final ConcurrentLinkedQueue<Reset> requestResets = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Reset> stalls = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Reset> uploadStalls = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.CountDownLatch closing =
      new java.util.concurrent.CountDownLatch(1);

  // private to the proxy: the body is set once from the test's bytes and only written out
  @SuppressWarnings("ArrayRecordComponent")
  private record Answer(
      Predicate<String> requestLine,
      int status,
      Map<String, String> headers,
      byte[] body,
      AtomicInteger left) {}

  private FaultProxy(ServerSocket server, String targetHost, int targetPort) {
    this.server = server;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    threads.execute(this::acceptLoop);
  }

  /**
   * Starts a proxy on a free loopback port in front of a server.
   *
   * @param targetHost the server's host
   * @param targetPort the server's port
   * @return the running proxy
   * @throws IOException if no port can be bound
   */
  public static FaultProxy start(String targetHost, int targetPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new FaultProxy(server, Objects.requireNonNull(targetHost), targetPort);
  }

  /**
   * The proxy's port.
   *
   * @return the port
   */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * {@code 127.0.0.1:port}, as a registry reference names it.
   *
   * @return host and port
   */
  public String hostPort() {
    return server.getInetAddress().getHostAddress() + ":" + port();
  }

  /**
   * Answers the next {@code times} requests whose request line (e.g. {@code GET
   * /v2/x/blobs/sha256:… HTTP/1.1}) matches, with a status and headers and an empty body, instead
   * of forwarding them.
   *
   * @param requestLine which requests
   * @param status the status, e.g. 503
   * @param headers extra headers, e.g. {@code Retry-After}
   * @param times how many requests
   * @return this proxy
   */
  public FaultProxy answer(
      Predicate<String> requestLine, int status, Map<String, String> headers, int times) {
    return answer(requestLine, status, headers, new byte[0], times);
  }

  /**
   * Answers the next {@code times} matching requests with a status, headers and a body (a proxy's
   * login page, a warning, a page of a listing), instead of forwarding them. The body is not sent
   * to HEAD requests; its length is the Content-Length.
   *
   * @param requestLine which requests
   * @param status the status, e.g. 200
   * @param headers extra headers, e.g. {@code Content-Type}
   * @param body the body
   * @param times how many requests
   * @return this proxy
   */
  public FaultProxy answer(
      Predicate<String> requestLine,
      int status,
      Map<String, String> headers,
      byte[] body,
      int times) {
    answers.add(
        new Answer(
            requestLine, status, Map.copyOf(headers), body.clone(), new AtomicInteger(times)));
    return this;
  }

  /**
   * Takes the next {@code times} matching requests (head and body) and never answers them, holding
   * their connections open until the client gives up: a registry that stalls before its answer.
   *
   * @param requestLine which requests
   * @param times how many
   * @return this proxy
   */
  public FaultProxy stall(Predicate<String> requestLine, int times) {
    stalls.add(new Reset(requestLine, new AtomicInteger(times)));
    return this;
  }

  /**
   * Stops reading the next {@code times} matching requests after their head: their body stays
   * unread, so the client's writes back up, and the connection stays open until the proxy closes.
   *
   * @param requestLine which requests
   * @param times how many
   * @return this proxy
   */
  public FaultProxy stallUpload(Predicate<String> requestLine, int times) {
    uploadStalls.add(new Reset(requestLine, new AtomicInteger(times)));
    return this;
  }

  /**
   * On the next {@code times} connections, stops forwarding the response after {@code bytes} bytes
   * and keeps the connection open: a registry that stalls in the middle of a body.
   *
   * @param bytes response bytes let through per connection
   * @param times how many connections
   * @return this proxy
   */
  public FaultProxy stallDownloadAfter(long bytes, int times) {
    downloadStallBytes.set(bytes);
    downloadStalls.set(times);
    return this;
  }

  /**
   * Resets the connection of the next {@code times} requests whose request line matches, as soon as
   * their head arrives and before anything of them is forwarded (a connection lost between two
   * requests, or at the start of an upload chunk).
   *
   * @param requestLine which requests
   * @param times how many
   * @return this proxy
   */
  public FaultProxy resetRequests(Predicate<String> requestLine, int times) {
    requestResets.add(new Reset(requestLine, new AtomicInteger(times)));
    return this;
  }

  /**
   * Resets the next {@code times} connections once they have sent {@code bytes} bytes of response.
   *
   * @param bytes response bytes let through per connection
   * @param times how many connections
   * @return this proxy
   */
  public FaultProxy resetDownloadAfter(long bytes, int times) {
    downloadResetBytes.set(bytes);
    downloadResets.set(times);
    return this;
  }

  /**
   * Resets the next {@code times} connections once the client has sent {@code bytes} bytes.
   *
   * @param bytes request bytes let through per connection
   * @param times how many connections
   * @return this proxy
   */
  public FaultProxy resetUploadAfter(long bytes, int times) {
    uploadResetBytes.set(bytes);
    uploadResets.set(times);
    return this;
  }

  /**
   * Holds every request back before forwarding it.
   *
   * @param value the delay
   * @return this proxy
   */
  public FaultProxy delay(Duration value) {
    delay = Objects.requireNonNull(value);
    return this;
  }

  /**
   * Returns the number of connections accepted so far.
   *
   * @return connections accepted so far
   */
  public int connections() {
    return connections.get();
  }

  /**
   * Returns the number of requests seen so far.
   *
   * @return requests seen so far
   */
  public int requests() {
    return requests.get();
  }

  /**
   * Returns the number of faults injected so far (answers and resets).
   *
   * @return faults injected so far (answers and resets)
   */
  public int injected() {
    return injected.get();
  }

  /**
   * Returns the request lines seen, in order.
   *
   * @return the request lines seen, in order
   */
  public List<String> requestLines() {
    synchronized (requestLines) {
      return List.copyOf(requestLines);
    }
  }

  /**
   * Returns the request heads seen (request line and headers, CRLF-separated), in order.
   *
   * @return the request heads seen (request line and headers, CRLF-separated), in order
   */
  public List<String> requestHeads() {
    synchronized (requestHeads) {
      return List.copyOf(requestHeads);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    synchronized (sockets) {
      for (Socket s : sockets) {
        closeQuietly(s);
      }
    }
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        sockets.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try {
      upstream = new Socket(targetHost, targetPort);
      sockets.add(upstream);
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      long downloadLimit = take(downloadResets) ? downloadResetBytes.get() : Long.MAX_VALUE;
      long uploadLimit = take(uploadResets) ? uploadResetBytes.get() : Long.MAX_VALUE;
      long stallAfter = take(downloadStalls) ? downloadStallBytes.get() : Long.MAX_VALUE;
      Socket up = upstream;
      Object clientWriteLock = new Object();
      threads.execute(() -> pipeResponses(up, client, downloadLimit, stallAfter, clientWriteLock));
      forwardRequests(client, upstream, uploadLimit, clientWriteLock);
    } catch (IOException e) {
      // a connection ended: normal for a proxy
    } finally {
      closeQuietly(client);
      if (upstream != null) {
        closeQuietly(upstream);
      }
    }
  }

  private static boolean take(AtomicInteger counter) {
    while (true) {
      int left = counter.get();
      if (left <= 0) {
        return false;
      }
      if (counter.compareAndSet(left, left - 1)) {
        return true;
      }
    }
  }

  private void pipeResponses(
      Socket from, Socket to, long limit, long stallAfter, Object writeLock) {
    byte[] buffer = new byte[64 * 1024];
    long sent = 0;
    boolean stalled = false;
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (stalled) {
          continue; // swallow the rest; the client hears nothing more until it gives up
        }
        if (sent + n > stallAfter) {
          int allowed = (int) (stallAfter - sent);
          synchronized (writeLock) {
            out.write(buffer, 0, allowed);
            out.flush();
          }
          sent += allowed;
          stalled = true;
          injected.incrementAndGet();
          continue;
        }
        int allowed = (int) Math.min(n, limit - sent);
        synchronized (writeLock) {
          out.write(buffer, 0, allowed);
          out.flush();
        }
        sent += allowed;
        if (sent >= limit) {
          injected.incrementAndGet();
          reset(to);
          return;
        }
      }
    } catch (IOException e) {
      // peer closed
    } finally {
      closeQuietly(to);
    }
  }

  private void forwardRequests(
      Socket client, Socket upstream, long uploadLimit, Object clientWriteLock) throws IOException {
    InputStream in = client.getInputStream();
    OutputStream up = upstream.getOutputStream();
    long[] uploaded = {0};
    while (true) {
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      requests.incrementAndGet();
      String text = new String(head, StandardCharsets.ISO_8859_1);
      String requestLine = text.substring(0, Math.max(0, text.indexOf("\r\n")));
      requestLines.add(requestLine);
      requestHeads.add(text);
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      for (Reset r : requestResets) {
        if (r.requestLine.test(requestLine) && take(r.left)) {
          injected.incrementAndGet();
          reset(client);
          return;
        }
      }
      for (Reset stall : uploadStalls) {
        if (stall.requestLine.test(requestLine) && take(stall.left)) {
          injected.incrementAndGet();
          try {
            closing.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return;
        }
      }
      for (Reset stall : stalls) {
        if (stall.requestLine.test(requestLine) && take(stall.left)) {
          injected.incrementAndGet();
          skipBody(in, text);
          while (in.read() >= 0) {
            // hold the connection, answer nothing, until the client closes it
          }
          return;
        }
      }
      Answer answer = matchingAnswer(requestLine);
      if (answer != null) {
        injected.incrementAndGet();
        skipBody(in, text);
        StringBuilder response =
            new StringBuilder("HTTP/1.1 ")
                .append(answer.status)
                .append(' ')
                .append(reason(answer.status))
                .append("\r\nContent-Length: ")
                .append(answer.body.length)
                .append("\r\n");
        answer.headers.forEach((k, v) -> response.append(k).append(": ").append(v).append("\r\n"));
        response.append("\r\n");
        synchronized (clientWriteLock) {
          client.getOutputStream().write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
          if (!requestLine.startsWith("HEAD ")) {
            client.getOutputStream().write(answer.body);
          }
          client.getOutputStream().flush();
        }
        continue;
      }
      if (!write(up, head, 0, head.length, uploaded, uploadLimit, client)) {
        return;
      }
      if (!forwardBody(in, up, text, uploaded, uploadLimit, client)) {
        return;
      }
      up.flush();
    }
  }

  private @org.jspecify.annotations.Nullable Answer matchingAnswer(String requestLine) {
    for (Answer a : answers) {
      if (a.requestLine.test(requestLine) && take(a.left)) {
        return a;
      }
    }
    return null;
  }

  private boolean write(
      OutputStream up, byte[] b, int off, int len, long[] uploaded, long limit, Socket client)
      throws IOException {
    int allowed = (int) Math.min(len, limit - uploaded[0]);
    up.write(b, off, allowed);
    uploaded[0] += allowed;
    if (uploaded[0] >= limit) {
      up.flush();
      injected.incrementAndGet();
      reset(client);
      return false;
    }
    return true;
  }

  private boolean forwardBody(
      InputStream in, OutputStream up, String head, long[] uploaded, long limit, Socket client)
      throws IOException {
    String lower = head.toLowerCase(Locale.ROOT);
    byte[] buffer = new byte[64 * 1024];
    if (lower.contains("\r\ntransfer-encoding: chunked")) {
      while (true) {
        byte[] sizeLine = readLine(in);
        if (sizeLine == null || !write(up, sizeLine, 0, sizeLine.length, uploaded, limit, client)) {
          return false;
        }
        String hex = new String(sizeLine, StandardCharsets.ISO_8859_1).trim();
        int semicolon = hex.indexOf(';');
        long size = Long.parseLong(semicolon < 0 ? hex : hex.substring(0, semicolon), 16);
        if (size == 0) {
          byte[] line;
          do {
            line = readLine(in);
            if (line == null || !write(up, line, 0, line.length, uploaded, limit, client)) {
              return false;
            }
          } while (line.length > 2);
          return true;
        }
        if (!copy(in, up, size + 2, buffer, uploaded, limit, client)) {
          return false;
        }
      }
    }
    long length = contentLength(lower);
    return length <= 0 || copy(in, up, length, buffer, uploaded, limit, client);
  }

  private boolean copy(
      InputStream in,
      OutputStream up,
      long length,
      byte[] buffer,
      long[] uploaded,
      long limit,
      Socket client)
      throws IOException {
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        return false;
      }
      if (!write(up, buffer, 0, n, uploaded, limit, client)) {
        return false;
      }
      left -= n;
    }
    return true;
  }

  private static void skipBody(InputStream in, String head) throws IOException {
    long length = contentLength(head.toLowerCase(Locale.ROOT));
    in.skipNBytes(Math.max(0, length));
  }

  private static long contentLength(String lowerHead) {
    int i = lowerHead.indexOf("\r\ncontent-length:");
    if (i < 0) {
      return 0;
    }
    int end = lowerHead.indexOf("\r\n", i + 2);
    return Long.parseLong(lowerHead.substring(i + "\r\ncontent-length:".length(), end).trim());
  }

  private static byte @org.jspecify.annotations.Nullable [] readHead(InputStream in)
      throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (true) {
      int b;
      try {
        b = in.read();
      } catch (SocketException e) {
        return null;
      }
      if (b < 0) {
        return null;
      }
      head.write(b);
      last4 = (last4 << 8) | b;
      if (last4 == 0x0d0a0d0a) {
        return head.toByteArray();
      }
      if (head.size() > 64 * 1024) {
        throw new IOException("request head larger than 64 KiB");
      }
    }
  }

  private static byte @org.jspecify.annotations.Nullable [] readLine(InputStream in)
      throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      line.write(b);
      if (previous == '\r' && b == '\n') {
        return line.toByteArray();
      }
      previous = b;
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 408 -> "Request Timeout";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 200 -> "OK";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      default -> "Injected";
    };
  }
}
