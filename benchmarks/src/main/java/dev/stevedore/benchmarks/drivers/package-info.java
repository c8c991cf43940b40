/**
 * Small programs that drive the Java peers (oras-java, jib-core) through their public APIs with the
 * command line every tool gets from the harness: {@code copy SRC DST [--concurrency N] [--platform
 * P]}. Exit status 3 means the peer cannot do that transfer.
 */
package dev.stevedore.benchmarks.drivers;
