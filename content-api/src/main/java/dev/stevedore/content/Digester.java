package dev.stevedore.content;

import java.security.MessageDigest;
import java.util.Objects;

/**
 * Computes a {@link Digest} over bytes fed in pieces, for streaming verification.
 *
 * <p>Not thread-safe: one digester per stream.
 */
public final class Digester {
  private final String algorithm;
  private final MessageDigest md;
  private long count;

  private Digester(String algorithm) {
    this.algorithm = algorithm;
    this.md = Digest.newMessageDigest(algorithm);
  }

  /**
   * A digester for an algorithm.
   *
   * @param algorithm {@code sha256} or {@code sha512}
   * @return a fresh digester
   * @throws IllegalArgumentException if the algorithm is unsupported
   */
  public static Digester of(String algorithm) {
    return new Digester(Objects.requireNonNull(algorithm, "algorithm"));
  }

  /**
   * A SHA-256 digester.
   *
   * @return a fresh digester
   */
  public static Digester sha256() {
    return new Digester(Digest.SHA256);
  }

  /**
   * Feeds bytes.
   *
   * @param bytes the buffer
   * @param offset where the bytes start
   * @param length how many
   */
  public void update(byte[] bytes, int offset, int length) {
    md.update(bytes, offset, length);
    count += length;
  }

  /**
   * Feeds one byte.
   *
   * @param b the byte
   */
  public void update(byte b) {
    md.update(b);
    count++;
  }

  /**
   * How many bytes were fed so far.
   *
   * @return the count
   */
  public long count() {
    return count;
  }

  /**
   * The algorithm this digester computes.
   *
   * @return the algorithm name
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * Completes the hash and resets the digester.
   *
   * @return the digest of everything fed since creation or the last call
   */
  public Digest digest() {
    count = 0;
    return new Digest(algorithm, Digest.hex(md.digest()));
  }
}
