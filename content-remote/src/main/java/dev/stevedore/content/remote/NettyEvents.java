package dev.stevedore.content.remote;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Initializes Netty's Flight Recorder event classes on the thread that builds a client, once per
 * JVM, so that no event loop has to.
 *
 * <p>Why: Netty's pooled allocator (the default since Netty 4.2) registers its JFR events the first
 * time it makes a chunk, which happens on an event loop writing the first request. Registering the
 * first event initializes {@code jdk.jfr}'s metadata repository: hundreds of classes, measured at
 * 1.5 to 3.9 s on a loaded two-core machine, during which every event loop waits on the class
 * initialization lock. That was the cause of Vert.x's "Thread ... has been blocked" warnings (with
 * stack traces) under load. Building a client is allowed to block; an event loop is not.
 */
final class NettyEvents {
  private static final System.Logger LOG = System.getLogger(NettyEvents.class.getName());

  /** Netty's allocator events; absent in other Netty versions, which is fine. */
  private static final List<String> EVENT_CLASSES =
      List.of(
          "io.netty.buffer.AllocateChunkEvent",
          "io.netty.buffer.FreeChunkEvent",
          "io.netty.buffer.AllocateBufferEvent",
          "io.netty.buffer.FreeBufferEvent",
          "io.netty.buffer.ReallocateBufferEvent");

  private NettyEvents() {}

  /** Initializes the event classes, at most once per JVM; returns at once after the first call. */
  static void initialize() {
    Holder.touch();
  }

  /** The class initialization of this holder runs the work exactly once, thread-safely. */
  private static final class Holder {
    static {
      // -Dio.netty.jfr.enabled=false turns Netty's events off (a command line tool does, to start
      // faster): then there is nothing to register, and nothing to load the JFR machinery for
      ClassLoader loader = io.vertx.core.Vertx.class.getClassLoader();
      List<String> names =
          "false".equalsIgnoreCase(System.getProperty("io.netty.jfr.enabled"))
              ? List.of()
              : EVENT_CLASSES;
      for (String name : names) {
        try {
          Class.forName(name, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          // another Netty version, or a runtime without jdk.jfr: nothing to initialize
          LOG.log(Level.TRACE, () -> "not initializing " + name + ": " + e);
        }
      }
    }

    private Holder() {}

    static void touch() {
      // the static initializer did the work
    }
  }
}
