/**
 * JMH micro-benchmarks of content-api: verified streaming hashing, manifest JSON, reference
 * parsing. Run with {@code benchmarks/run --jmh-only}.
 */
package dev.stevedore.benchmarks.jmh;
