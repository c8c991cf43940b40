package dev.stevedore.content;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A content digest, {@code algorithm ":" encoded}, as in the OCI image-spec.
 *
 * <p>Supported algorithms are {@code sha256} (64 lower-case hex characters) and {@code sha512}
 * (128). A digest is always valid once constructed, so its encoded part can safely become a file
 * name: it never contains a separator or a dot.
 *
 * <p>{@link #toString()} is the wire form. {@link #parse(String)} throws on bad input, {@link
 * #tryParse(String)} returns empty instead.
 *
 * @param algorithm the algorithm name, {@code sha256} or {@code sha512}
 * @param encoded the lower-case hex encoding of the hash
 */
public record Digest(String algorithm, String encoded) implements Comparable<Digest> {

  /** The {@code sha256} algorithm name, the default everywhere. */
  public static final String SHA256 = "sha256";

  /** The {@code sha512} algorithm name. */
  public static final String SHA512 = "sha512";

  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException if the algorithm is unsupported or the encoding is not
   *     lower-case hex of the algorithm's length; use {@link #parse(String)} for checked errors
   */
  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(encoded, "encoded");
    String problem = problem(algorithm, encoded);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Parses the wire form {@code algorithm:encoded}.
   *
   * @param value the digest string, e.g. {@code sha256:44136f...}
   * @return the digest
   * @throws InvalidDescriptorException if the value is not a valid, supported digest; the message
   *     says which part is wrong
   */
  public static Digest parse(String value) throws InvalidDescriptorException {
    Objects.requireNonNull(value, "value");
    int colon = value.indexOf(':');
    if (colon < 0) {
      throw new InvalidDescriptorException(
          "invalid digest \""
              + abbreviate(value)
              + "\": expected algorithm:encoded, e.g. sha256:<64 hex chars>");
    }
    String algorithm = value.substring(0, colon);
    String encoded = value.substring(colon + 1);
    String problem = problem(algorithm, encoded);
    if (problem != null) {
      throw new InvalidDescriptorException(
          "invalid digest \"" + abbreviate(value) + "\": " + problem);
    }
    return new Digest(algorithm, encoded);
  }

  /**
   * Parses the wire form, returning empty for anything that is not a valid, supported digest.
   *
   * @param value the digest string, may be null
   * @return the digest, or empty
   */
  public static Optional<Digest> tryParse(@Nullable String value) {
    if (value == null) {
      return Optional.empty();
    }
    int colon = value.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    String algorithm = value.substring(0, colon);
    String encoded = value.substring(colon + 1);
    return problem(algorithm, encoded) == null
        ? Optional.of(new Digest(algorithm, encoded))
        : Optional.empty();
  }

  /**
   * Computes the SHA-256 digest of bytes.
   *
   * @param content the bytes
   * @return their digest
   */
  public static Digest sha256(byte[] content) {
    return of(SHA256, content);
  }

  /**
   * Computes the digest of bytes with the named algorithm.
   *
   * @param algorithm {@code sha256} or {@code sha512}
   * @param content the bytes
   * @return their digest
   * @throws IllegalArgumentException if the algorithm is unsupported
   */
  public static Digest of(String algorithm, byte[] content) {
    Digester digester = Digester.of(algorithm);
    digester.update(content, 0, content.length);
    return digester.digest();
  }

  /**
   * Tells whether an algorithm name is supported.
   *
   * @param algorithm the name
   * @return true for {@code sha256} and {@code sha512}
   */
  public static boolean isSupported(String algorithm) {
    return SHA256.equals(algorithm) || SHA512.equals(algorithm);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Digest fromJson(String value) {
    try {
      return parse(value);
    } catch (InvalidDescriptorException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Returns the wire form {@code algorithm:encoded}. */
  @JsonValue
  @Override
  public String toString() {
    return algorithm + ":" + encoded;
  }

  // equals and hashCode written out: a record's generated ones are bootstrapped through method
  // handles on first use, which spins about twenty classes at start-up of every command.
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Digest d && algorithm.equals(d.algorithm) && encoded.equals(d.encoded);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + encoded.hashCode();
  }

  @Override
  public int compareTo(Digest other) {
    return toString().compareTo(other.toString());
  }

  static int encodedLength(String algorithm) {
    return switch (algorithm) {
      case SHA256 -> 64;
      case SHA512 -> 128;
      default -> -1;
    };
  }

  static MessageDigest newMessageDigest(String algorithm) {
    String jca =
        switch (algorithm) {
          case SHA256 -> "SHA-256";
          case SHA512 -> "SHA-512";
          default ->
              throw new IllegalArgumentException(
                  "unsupported digest algorithm \""
                      + algorithm
                      + "\": supported are sha256 and sha512");
        };
    try {
      return MessageDigest.getInstance(jca);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " is required of every Java platform", e);
    }
  }

  static String hex(byte[] hash) {
    return HexFormat.of().formatHex(hash);
  }

  private static @Nullable String problem(String algorithm, String encoded) {
    if (algorithm.isEmpty()) {
      return "empty algorithm";
    }
    int length = encodedLength(algorithm);
    if (length < 0) {
      return "unsupported algorithm \"" + abbreviate(algorithm) + "\" (supported: sha256, sha512)";
    }
    if (encoded.length() != length) {
      return algorithm + " needs " + length + " hex characters, got " + encoded.length();
    }
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!hex) {
        return (c >= 'A' && c <= 'F')
            ? "encoded part must be lower-case hex"
            : "encoded part has a non-hex character at position " + i;
      }
    }
    return null;
  }

  private static String abbreviate(String s) {
    String printable =
        s.codePoints()
            .map(cp -> Character.isISOControl(cp) ? '?' : cp)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return printable.length() > 80 ? printable.substring(0, 77) + "..." : printable;
  }
}
