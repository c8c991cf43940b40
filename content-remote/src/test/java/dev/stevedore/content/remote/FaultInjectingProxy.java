package dev.stevedore.content.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a real registry that drops the connection once, when the client starts
 * its {@code n}-th {@code PATCH} request: fault injection for the chunked-upload resume test.
 */
final class FaultInjectingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final int failOnPatch;
  private final AtomicInteger patches = new AtomicInteger();
  private final AtomicBoolean failed = new AtomicBoolean();
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  FaultInjectingProxy(String upstreamHost, int upstreamPort, int failOnPatch) throws IOException {
    this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
    this.failOnPatch = failOnPatch;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private volatile int holdPatch;
  private volatile java.util.concurrent.CountDownLatch release =
      new java.util.concurrent.CountDownLatch(0);
  private final AtomicBoolean released = new AtomicBoolean();

  /**
   * Holds the {@code n}-th PATCH (its first bytes) at the proxy until {@code gate} opens; a gate
   * that stays shut is given up after 20 s (so a client that waits for the held PATCH cannot hang
   * the test), which {@link #heldPatchReleasedByGate()} then reports.
   */
  void holdPatch(int n, java.util.concurrent.CountDownLatch gate) {
    this.release = gate;
    this.holdPatch = n;
  }

  /** Whether the held PATCH went on because its gate opened (not because the proxy gave up). */
  boolean heldPatchReleasedByGate() {
    return released.get();
  }

  private boolean awaitRelease() {
    try {
      return release.await(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String hostPort() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  boolean failed() {
    return failed.get();
  }

  int patchesForwarded() {
    return patches.get() - (failed.get() ? 1 : 0);
  }

  long upstreamBytes() {
    return upstreamBytes.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket registry = new Socket(upstream.getAddress(), upstream.getPort());
        sockets.add(client);
        sockets.add(registry);
        start("fault-proxy-up", () -> pump(client, registry, true));
        start("fault-proxy-down", () -> pump(registry, client, false));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private void pump(Socket from, Socket to, boolean clientToRegistry) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (clientToRegistry && startsPatch(buffer, n)) {
          int patch = patches.incrementAndGet();
          if (patch == failOnPatch && failed.compareAndSet(false, true)) {
            from.close();
            to.close();
            return;
          }
          if (patch == holdPatch) {
            released.set(awaitRelease());
          }
        }
        out.write(buffer, 0, n);
        out.flush();
        if (clientToRegistry) {
          upstreamBytes.addAndGet(n);
        }
      }
    } catch (IOException e) {
      // the other side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static boolean startsPatch(byte[] buffer, int n) {
    return new String(buffer, 0, Math.min(n, 8), StandardCharsets.US_ASCII).startsWith("PATCH ");
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
  }
}
