package dev.stevedore.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
   * Closes the preloaded instance, if one was made, as the registry client closes its own: its
   * event loops are let go at once instead of lingering until the JVM exits.
   */
  static void close() {
    if (!started) {
      return;
    }
    try {
      // waits for one still being made (a command that failed early): closed all the same
      Vertx vertx = VERTX.get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // exiting anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

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
