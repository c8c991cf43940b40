package dev.stevedore.content.remote.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header (RFC 7235), e.g. {@code Bearer
 * realm="https://auth.example.com/token",service="registry",scope="repository:a:pull"}.
 *
 * @param scheme the scheme, lower-cased ({@code basic}, {@code bearer}, ...)
 * @param parameters the auth-params, keys lower-cased, values unquoted
 */
public record Challenge(String scheme, Map<String, String> parameters) {
  /** The Basic scheme. */
  public static final String BASIC = "basic";

  /** The Bearer scheme. */
  public static final String BEARER = "bearer";

  /** Copies the parameters. */
  public Challenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /**
   * A parameter.
   *
   * @param name its name, case-insensitive
   * @return its value, or null
   */
  public @Nullable String parameter(String name) {
    return parameters.get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The first challenge of a header value with a scheme Stevedore supports (Bearer is preferred
   * over Basic when a server offers both).
   *
   * @param header the {@code WWW-Authenticate} value, may be null
   * @return the challenge, or empty when there is none Stevedore can answer
   */
  public static Optional<Challenge> parse(@Nullable String header) {
    List<Challenge> all = parseAll(header);
    return all.stream()
        .filter(c -> c.scheme.equals(BEARER))
        .findFirst()
        .or(() -> all.stream().filter(c -> c.scheme.equals(BASIC)).findFirst());
  }

  /**
   * Every challenge in a header value.
   *
   * @param header the {@code WWW-Authenticate} value, may be null
   * @return the challenges in order, empty for a missing or unparseable header
   */
  public static List<Challenge> parseAll(@Nullable String header) {
    List<Challenge> out = new ArrayList<>();
    if (header == null) {
      return out;
    }
    Parser p = new Parser(header);
    while (true) {
      p.skipSeparators();
      String scheme = p.token();
      if (scheme.isEmpty()) {
        break;
      }
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        p.skipSpaces();
        int mark = p.pos;
        String name = p.token();
        p.skipSpaces();
        if (name.isEmpty() || !p.consume('=')) {
          // not an auth-param: the start of the next challenge (or a token68, ignored)
          p.pos = mark;
          if (!name.isEmpty() && params.isEmpty()) {
            p.token();
          }
          break;
        }
        p.skipSpaces();
        String value = p.peek() == '"' ? p.quoted() : p.token();
        params.put(name.toLowerCase(Locale.ROOT), value);
        p.skipSpaces();
        if (!p.consume(',')) {
          break;
        }
      }
      out.add(new Challenge(scheme, params));
      if (p.atEnd()) {
        break;
      }
    }
    return out;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return atEnd() ? '\0' : s.charAt(pos);
    }

    boolean consume(char c) {
      if (peek() == c) {
        pos++;
        return true;
      }
      return false;
    }

    void skipSpaces() {
      while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    void skipSeparators() {
      while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == ',')) {
        pos++;
      }
    }

    String token() {
      int start = pos;
      while (!atEnd() && isTokenChar(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    String quoted() {
      StringBuilder b = new StringBuilder();
      pos++; // opening quote
      while (!atEnd()) {
        char c = s.charAt(pos++);
        if (c == '\\' && !atEnd()) {
          b.append(s.charAt(pos++));
        } else if (c == '"') {
          break;
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }

    private static boolean isTokenChar(char c) {
      return (c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0)
          || c == '/'
          || c == ':'
          || c == '@';
    }
  }
}
