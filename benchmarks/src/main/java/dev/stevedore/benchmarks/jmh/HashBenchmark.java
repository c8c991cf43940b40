package dev.stevedore.benchmarks.jmh;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Verified streaming hash throughput: {@link VerifyingInputStream} read to the end over a 64 MiB
 * in-memory stream, against a plain {@link MessageDigest} over the same bytes with the same buffer
 * size. One operation = 64 MiB; the difference is the cost of verification beyond SHA-256 itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HashBenchmark {
  private static final int SIZE = 64 << 20;
  private static final int BUFFER = 64 << 10;
  private byte[] content;
  private Descriptor descriptor;
  private byte[] buffer;

  @Setup
  public void setUp() {
    content = new byte[SIZE];
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < SIZE; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8; j++) {
        content[i + j] = (byte) (v >>> (8 * j));
      }
    }
    descriptor = Descriptor.of("application/octet-stream", Digest.sha256(content), SIZE);
    buffer = new byte[BUFFER];
  }

  @Benchmark
  public long verifyingInputStream() throws IOException {
    try (VerifyingInputStream in =
        new VerifyingInputStream(new ByteArrayInputStream(content), descriptor)) {
      while (in.read(buffer, 0, buffer.length) >= 0) {
        // drain: the stream hashes and checks as it goes
      }
      return in.count();
    }
  }

  @Benchmark
  public byte[] plainMessageDigest() throws NoSuchAlgorithmException {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int off = 0; off < SIZE; off += BUFFER) {
      System.arraycopy(content, off, buffer, 0, BUFFER); // the copy a stream read makes too
      md.update(buffer, 0, BUFFER);
    }
    return md.digest();
  }
}
