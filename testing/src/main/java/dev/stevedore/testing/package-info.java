/**
 * The storage contract suite and test fixtures.
 *
 * <p>To prove a store, write one test class that implements the contracts its store supports and
 * supplies {@code newStore()}:
 *
 * <pre>{@code
 * class MyStoreContractTest implements StorageContract<MyStore>, TagResolverContract<MyStore>,
 *     FullGraphContract<MyStore>, DeleterContract<MyStore>, TagListerContract<MyStore> {
 *   public MyStore newStore() { return new MyStore(...); }
 * }
 * }</pre>
 *
 * <p>The contracts are interfaces with default JUnit 5 test methods, so a test class composes
 * exactly the capabilities its store has. {@link dev.stevedore.testing.Fixtures} makes blobs and
 * manifests; {@link dev.stevedore.testing.ForwardingStore} is the base for counting and
 * failure-injecting wrappers.
 */
@NullMarked
package dev.stevedore.testing;

import org.jspecify.annotations.NullMarked;
