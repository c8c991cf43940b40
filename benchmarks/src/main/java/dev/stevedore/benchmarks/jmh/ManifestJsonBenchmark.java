package dev.stevedore.benchmarks.jmh;

import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Manifest JSON parse and canonical write: an image manifest with a config, 4 layers and
 * annotations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ManifestJsonBenchmark {
  private byte[] json;
  private Manifest manifest;

  @Setup
  public void setUp() throws InvalidDescriptorException {
    StringBuilder layers = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      if (i > 0) {
        layers.append(',');
      }
      layers
          .append(
              "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:")
          .append(String.valueOf(i).repeat(64))
          .append(
              "\",\"size\":268435456,\"annotations\":{"
                  + "\"org.opencontainers.image.title\":\"layer-")
          .append(i)
          .append(".tar.gz\"}}");
    }
    json =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                + "a".repeat(64)
                + "\",\"size\":879},\"layers\":["
                + layers
                + "],\"annotations\":{"
                + "\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"}}")
            .getBytes(StandardCharsets.UTF_8);
    manifest = Manifest.parse(json);
  }

  @Benchmark
  public Manifest parse() throws InvalidDescriptorException {
    return Manifest.parse(json);
  }

  @Benchmark
  public byte[] toJson() {
    return manifest.toJson();
  }
}
