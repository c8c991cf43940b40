/**
 * The benchmark harness of issue 10. Most users need only the script {@code benchmarks/run}; the
 * classes here are its parts: {@link dev.stevedore.benchmarks.LayoutGenerator} writes the scenario
 * data as OCI image layouts, {@link dev.stevedore.benchmarks.Seeder} puts it into the registry
 * without any tool under test, {@link dev.stevedore.benchmarks.Report} turns the raw runs into
 * {@code results/latest.md} and {@code latest.json}.
 */
package dev.stevedore.benchmarks;
