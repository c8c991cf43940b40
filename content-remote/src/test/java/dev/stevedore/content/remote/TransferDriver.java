package dev.stevedore.content.remote;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A manual measuring driver, not a test: pushes or pulls one blob through the client against a
 * running registry and prints the wall time, so the client's data path can be profiled and compared
 * with curl on the same registry (see the class comment of the benchmark figures in the report).
 *
 * <pre>
 * java -cp ... dev.stevedore.content.remote.TransferDriver push 127.0.0.1:5000 repo FILE sha256:... [rounds]
 * java -cp ... dev.stevedore.content.remote.TransferDriver pull 127.0.0.1:5000 repo OUT sha256:... SIZE [rounds]
 * java -cp ... dev.stevedore.content.remote.TransferDriver small 127.0.0.1:5000 repo COUNT SIZE CONCURRENCY
 * </pre>
 */
final class TransferDriver {
  private TransferDriver() {}

  /** {@code -Dthreshold=BYTES} sets the chunked-upload threshold (default: the library's). */
  private static Registry.Builder threshold(Registry.Builder builder) {
    String threshold = System.getProperty("threshold");
    return threshold == null
        ? builder
        : builder.chunkedUploads(
            Long.parseLong(threshold), RegistryOptions.DEFAULT_UPLOAD_CHUNK_SIZE);
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String host = args[1];
    String repo = args[2];
    try (Registry registry = threshold(Registry.builder().host(host).plainHttp()).build()) {
      Repository repository = registry.repository(repo);
      switch (mode) {
        case "push" -> {
          Path file = Path.of(args[3]);
          Descriptor desc =
              Descriptor.of("application/octet-stream", Digest.parse(args[4]), Files.size(file));
          int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 1;
          for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            try (InputStream in = Files.newInputStream(file)) {
              repository.push(desc, in);
            }
            System.out.printf("push %.3f s%n", (System.nanoTime() - start) / 1e9);
          }
        }
        case "pull" -> {
          Path out = Path.of(args[3]);
          Descriptor desc =
              Descriptor.of(
                  "application/octet-stream", Digest.parse(args[4]), Long.parseLong(args[5]));
          int rounds = args.length > 6 ? Integer.parseInt(args[6]) : 1;
          for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            try (InputStream in = repository.fetch(desc);
                FileChannel channel =
                    FileChannel.open(
                        out,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
              OutputStream sink = Channels.newOutputStream(channel);
              in.transferTo(sink);
              channel.force(true);
            }
            System.out.printf("pull %.3f s%n", (System.nanoTime() - start) / 1e9);
          }
        }
        case "small" -> {
          int count = Integer.parseInt(args[3]);
          int size = Integer.parseInt(args[4]);
          int concurrency = Integer.parseInt(args[5]);
          long seed = System.nanoTime();
          List<byte[]> blobs = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            byte[] b = new byte[size];
            new java.util.SplittableRandom(seed + i).nextBytes(b);
            blobs.add(b);
          }
          ExecutorService pool = Executors.newFixedThreadPool(concurrency);
          long start = System.nanoTime();
          List<Future<?>> done = new ArrayList<>();
          for (byte[] b : blobs) {
            done.add(
                pool.submit(
                    () -> {
                      Descriptor d = Descriptor.of("application/octet-stream", b);
                      if (!repository.exists(d)) {
                        repository.push(d, new java.io.ByteArrayInputStream(b));
                      }
                      return null;
                    }));
          }
          for (Future<?> f : done) {
            f.get();
          }
          double s = (System.nanoTime() - start) / 1e9;
          System.out.printf("small %d x %d: %.3f s, %.0f blobs/s%n", count, size, s, count / s);
          pool.shutdown();
        }
        default -> throw new IllegalArgumentException(mode);
      }
    }
  }
}
