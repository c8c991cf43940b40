package dev.stevedore.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A Vert.x instance made on the preload thread while the main thread builds the command line model,
 * for a run whose arguments name a registry: setting up Vert.x and Netty is a tenth of a registry
 * command's start-up, and overlapped so. Only {@link Main#main} starts it (a process that runs one
 * command and exits); commands run in-process (tests) make their own.
 */
final class Preloaded {
  private static final CompletableFuture<Vertx> VERTX = new CompletableFuture<>();
  private static volatile boolean started;

  private Preloaded() {}

  /** Announces the instance: from now on {@link #vertx()} waits for it. On the main thread. */
  static void expectVertx() {
    started = true;
  }

  /** Makes the announced instance; called once, on the preload thread. */
  static void makeVertx() {
    try {
      // as content-remote's own: daemon threads, so nothing keeps the JVM alive
      VERTX.complete(Vertx.vertx(new VertxOptions().setUseDaemonThread(true)));
    } catch (RuntimeException | LinkageError e) {
      VERTX.completeExceptionally(e);
    }
  }

  /**
   * The preloaded instance, waiting for it if it is being made.
   *
   * @return the instance, or null when none was preloaded (or making it failed): the registry
   *     client then makes its own
   */
  static @Nullable Vertx vertx() {
    if (!started) {
      return null;
    }
    try {
      return VERTX.get();
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Hashes a few MiB with SHA-256, the way blobs are hashed (64 KiB updates), so that the
   * optimising compiler has compiled the hashing (to the CPU's SHA instructions) before the first
   * blob arrives: a fresh JVM hashes its first 256 MiB at a third of the speed otherwise, the plain
   * Java code running until the compiler's thresholds are crossed and its queue is served.
   */
  static void warmSha256() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < WARM_SHA256_CHUNKS; i++) {
        sha256.update(chunk, 0, chunk.length);
      }
      sha256.digest();
    } catch (NoSuchAlgorithmException e) {
      // no SHA-256 here: the command will say so itself
    }
  }

  /** 4 MiB: 65,536 blocks, past the loop counts at which the optimising compiler takes it. */
  private static final int WARM_SHA256_CHUNKS = 64;

  /**
   * Whether an argument names a registry by Docker's rule for a reference's first component: a host
   * (with a dot or a port) or {@code localhost}, before a slash; not a layout, archive or file.
   *
   * @param arg a command line argument
   * @return true for e.g. {@code registry.example:5000/repo:tag} or {@code localhost/repo}
   */
  static boolean namesRegistry(String arg) {
    if (arg.startsWith("-") || arg.startsWith("oci:") || arg.startsWith("oci-archive:")) {
      return false;
    }
    int slash = arg.indexOf('/');
    if (slash <= 0) {
      return false;
    }
    String host = arg.substring(0, slash);
    return host.indexOf('.') >= 0 || host.indexOf(':') >= 0 || host.equals("localhost");
  }
}
