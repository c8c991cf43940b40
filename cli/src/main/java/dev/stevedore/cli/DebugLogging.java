package dev.stevedore.cli;

import java.io.PrintWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code --debug}: Stevedore's {@code System.Logger} output (the HTTP exchange, retries, token
 * fetches; never a secret) at DEBUG on stderr, through the JDK's default logging backend.
 */
final class DebugLogging {
  private static final Logger ROOT = Logger.getLogger("dev.stevedore");

  private DebugLogging() {}

  /**
   * Sends Stevedore's debug logging to {@code err} until the returned handle is closed.
   *
   * @param err where to write
   * @return closes to restore the previous logging
   */
  static AutoCloseable enable(PrintWriter err) {
    Level previousLevel = ROOT.getLevel();
    boolean previousParent = ROOT.getUseParentHandlers();
    ROOT.setLevel(Level.FINE);
    ROOT.setUseParentHandlers(false);
    for (Handler h : ROOT.getHandlers()) {
      ROOT.removeHandler(h);
    }
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (isLoggable(record)) {
          err.println("debug: " + record.getLoggerName().replace("dev.stevedore.", "") + ": " + text(record));
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
    };
    handler.setLevel(Level.FINE);
    ROOT.addHandler(handler);
    return () -> {
      ROOT.removeHandler(handler);
      ROOT.setLevel(previousLevel);
      ROOT.setUseParentHandlers(previousParent);
    };
  }

  /** The message, with {0}-style parameters filled in only when there are parameters. */
  private static String text(LogRecord record) {
    Object[] parameters = record.getParameters();
    if (parameters == null || parameters.length == 0) {
      return record.getMessage();
    }
    try {
      return java.text.MessageFormat.format(record.getMessage(), parameters);
    } catch (IllegalArgumentException e) {
      return record.getMessage();
    }
  }
}
