package dev.stevedore.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The one formatter of everything logged while a command runs: Stevedore's {@code System.Logger}
 * output and that of the libraries under it (Vert.x, Netty), routed through the JDK's logging
 * backend to stderr as single lines:
 *
 * <ul>
 *   <li>warnings and errors: {@code warning: MESSAGE}, each distinct message once, never a stack
 *       trace (those come with {@code --debug});
 *   <li>{@code --verbose}: Stevedore's informational messages as {@code info: MESSAGE};
 *   <li>{@code --debug}: Stevedore's debug messages (the HTTP exchange, without secrets) as {@code
 *       debug: LOGGER: MESSAGE}, and stack traces.
 * </ul>
 *
 * <p>The JDK's default format (two lines with a date and a class name) never reaches the terminal.
 */
final class CliLogging {
  private static final Logger ROOT = Logger.getLogger("");
  private static final Logger STEVEDORE = Logger.getLogger("dev.stevedore");

  /**
   * Vert.x's connection logger, held so that its level stays set: a connection Vert.x cannot parse
   * (a TLS port that answered plain HTTP) is reported to the user as an error naming the flag to
   * use, and Vert.x's own log line about it is noise.
   */
  private static final Logger VERTX_CONNECTIONS =
      Logger.getLogger("io.vertx.core.net.impl.ConnectionBase");

  private CliLogging() {}

  /**
   * Silences the library loggers whose messages the CLI reports itself (setting up the JDK's
   * logging on the way); {@link #install} does it too. Called early on the preload thread, so that
   * the set-up is done by the time the command installs the formatter.
   */
  static void quietLibraries() {
    VERTX_CONNECTIONS.setLevel(Level.OFF);
  }

  /**
   * Installs the formatter until the returned handle is closed.
   *
   * @param err where to write
   * @param verbose show Stevedore's informational messages
   * @param debug show Stevedore's debug messages and stack traces
   * @return closes to restore the previous logging
   */
  static AutoCloseable install(PrintWriter err, boolean verbose, boolean debug) {
    quietLibraries();
    Handler[] previousHandlers = ROOT.getHandlers();
    Level previousRootLevel = ROOT.getLevel();
    Level previousLevel = STEVEDORE.getLevel();
    for (Handler h : previousHandlers) {
      ROOT.removeHandler(h);
    }
    ROOT.setLevel(Level.WARNING);
    STEVEDORE.setLevel(debug ? Level.FINE : verbose ? Level.INFO : Level.WARNING);
    Handler handler = new LineHandler(err, debug);
    handler.setLevel(Level.ALL);
    ROOT.addHandler(handler);
    return () -> {
      ROOT.removeHandler(handler);
      for (Handler h : previousHandlers) {
        ROOT.addHandler(h);
      }
      ROOT.setLevel(previousRootLevel);
      STEVEDORE.setLevel(previousLevel);
    };
  }

  /** One line per record; warnings once per distinct message. */
  private static final class LineHandler extends Handler {
    private final PrintWriter err;
    private final boolean debug;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    LineHandler(PrintWriter err, boolean debug) {
      this.err = err;
      this.debug = debug;
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      String text = Terminal.escape(text(record));
      int level = record.getLevel().intValue();
      String line;
      if (level >= Level.WARNING.intValue()) {
        if (!warned.add(text)) {
          return;
        }
        line = (level >= Level.SEVERE.intValue() ? "error: " : "warning: ") + text;
      } else if (level >= Level.INFO.intValue()) {
        line = "info: " + text;
      } else {
        String name =
            record.getLoggerName() == null
                ? ""
                : record.getLoggerName().replace("dev.stevedore.", "");
        line = "debug: " + name + ": " + text;
      }
      synchronized (err) {
        err.println(line);
        if (debug && record.getThrown() != null) {
          StringWriter trace = new StringWriter();
          record.getThrown().printStackTrace(new PrintWriter(trace));
          err.print(trace);
        }
        err.flush();
      }
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {
      err.flush();
    }
  }

  /** The message, with {0}-style parameters filled in only when there are parameters. */
  private static String text(LogRecord record) {
    String message = record.getMessage() == null ? "" : record.getMessage();
    Object[] parameters = record.getParameters();
    if (parameters == null || parameters.length == 0) {
      return message;
    }
    try {
      return java.text.MessageFormat.format(message, parameters);
    } catch (IllegalArgumentException e) {
      return message;
    }
  }
}
