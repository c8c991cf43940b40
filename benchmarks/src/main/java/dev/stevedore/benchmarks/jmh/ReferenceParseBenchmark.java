package dev.stevedore.benchmarks.jmh;

import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.Reference;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Reference parsing: a tag reference, a digest reference, a deep repository with a port. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReferenceParseBenchmark {
  @Param({
    "ghcr.io/org/app:v1.2.3",
    "registry.example.com/library/ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "127.0.0.1:5000/team/project/component/image:2026.01.01-rc1"
  })
  public String reference;

  @Benchmark
  public Reference parse() throws InvalidReferenceException {
    return Reference.parse(reference);
  }
}
