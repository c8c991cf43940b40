package dev.stevedore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Where a command writes: results on stdout (text or JSON), progress and notes on stderr. Text for
 * people passes through {@link Terminal#escape}: nothing from outside reaches the terminal raw.
 */
final class Output {
  /** Made on first use: text output never pays for a second ObjectMapper. */
  private static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final GlobalOptions options;

  Output(PrintWriter out, PrintWriter err, GlobalOptions options) {
    this.out = out;
    this.err = err;
    this.options = options;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  GlobalOptions options() {
    return options;
  }

  /** The result line (text mode only): the one line {@code -q} keeps. */
  void result(String line) {
    if (!options.json()) {
      out.println(Terminal.escape(line));
      out.flush();
    }
  }

  /** A line of the text result that {@code -q} drops (text mode only). */
  void line(String line) {
    if (!options.json() && !options.quiet) {
      out.println(Terminal.escape(line));
      out.flush();
    }
  }

  /** A note on stderr, suppressed by --quiet and in JSON mode. */
  void note(String line) {
    if (!options.quiet && !options.json()) {
      err.println(Terminal.escape(line));
      err.flush();
    }
  }

  /** A machine-readable result (JSON mode only). */
  void json(Object value) {
    if (options.json()) {
      out.println(toJson(value));
      out.flush();
    }
  }

  /** The pretty JSON of a value. */
  static String toJson(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
