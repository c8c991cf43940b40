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
        if (clientToRegistry
            && startsPatch(buffer, n)
            && patches.incrementAndGet() == failOnPatch
            && failed.compareAndSet(false, true)) {
          from.close();
          to.close();
          return;
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
