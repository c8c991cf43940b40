package dev.stevedore.copy;

import dev.stevedore.content.ContentKey;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Storage;
import dev.stevedore.content.Successors;
import dev.stevedore.testing.ForwardingStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A counting and failure-injecting store: counts every call per digest, records the order of
 * pushes, checks that a manifest's children are present when it is pushed, measures how many calls
 * are in flight at once (with a gauge that may be shared between a source and a destination), and
 * runs an interceptor before every call.
 */
class InstrumentedStore extends ForwardingStore {
  /** Runs before a call; may block or throw. */
  @FunctionalInterface
  interface Interceptor {
    void before(String operation, Descriptor desc) throws IOException;
  }

  /** Calls in flight, and the peak. */
  static final class Gauge {
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    void enter() {
      int now = current.incrementAndGet();
      peak.accumulateAndGet(now, Math::max);
    }

    void exit() {
      current.decrementAndGet();
    }

    int peak() {
      return peak.get();
    }
  }

  private final Map<String, Map<Digest, AtomicInteger>> calls = new ConcurrentHashMap<>();
  private final List<ContentKey> pushOrder = Collections.synchronizedList(new ArrayList<>());
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final Gauge gauge;
  private volatile Interceptor interceptor = (op, desc) -> {};

  InstrumentedStore(Storage delegate) {
    this(delegate, new Gauge());
  }

  InstrumentedStore(Storage delegate, Gauge gauge) {
    super(delegate);
    this.gauge = gauge;
  }

  InstrumentedStore intercept(Interceptor value) {
    this.interceptor = value;
    return this;
  }

  int count(String operation, Descriptor desc) {
    AtomicInteger n = calls.getOrDefault(operation, Map.of()).get(desc.digest());
    return n == null ? 0 : n.get();
  }

  int total(String operation) {
    return calls.getOrDefault(operation, Map.of()).values().stream()
        .mapToInt(AtomicInteger::get)
        .sum();
  }

  List<ContentKey> pushOrder() {
    return List.copyOf(pushOrder);
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  Gauge gauge() {
    return gauge;
  }

  /** Counts a call of a capability a subclass adds, and runs the interceptor. */
  void recordCall(String operation, Descriptor desc) throws IOException {
    record(operation, desc);
  }

  private void record(String operation, Descriptor desc) throws IOException {
    calls
        .computeIfAbsent(operation, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(desc.digest(), k -> new AtomicInteger())
        .incrementAndGet();
    interceptor.before(operation, desc);
  }

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    gauge.enter();
    try {
      record("fetch", target);
      return super.fetch(target);
    } finally {
      gauge.exit();
    }
  }

  @Override
  public boolean exists(Descriptor target) throws IOException {
    gauge.enter();
    try {
      record("exists", target);
      return super.exists(target);
    } finally {
      gauge.exit();
    }
  }

  @Override
  public void push(Descriptor expected, InputStream content) throws IOException {
    gauge.enter();
    try {
      record("push", expected);
      checkChildrenPresent(expected);
      super.push(expected, content);
      pushOrder.add(expected.key());
    } finally {
      gauge.exit();
    }
  }

  @Override
  public void tag(Descriptor desc, String reference) throws IOException {
    record("tag", desc);
    super.tag(desc, reference);
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    Descriptor desc = super.resolve(reference);
    record("resolve", desc);
    return desc;
  }

  @Override
  public List<Descriptor> predecessors(Descriptor node) throws IOException {
    record("predecessors", node);
    return super.predecessors(node);
  }

  /** Records a violation when a manifest arrives before one of its children. */
  void checkChildrenPresent(Descriptor manifest) throws IOException {
    if (!Successors.mayHaveSuccessors(manifest.mediaType())) {
      return;
    }
    // Only content this store can read itself is checked (the caller pushes what the source holds).
    List<Descriptor> children = childrenFromAnywhere(manifest);
    for (Descriptor child : children) {
      if (!delegate().exists(child)
          && !dev.stevedore.content.MediaTypes.isNonDistributable(child.mediaType())) {
        violations.add(manifest.digest() + " pushed before its child " + child.digest());
      }
    }
  }

  /** Where the test can find a manifest's bytes when checking; set by tests that check order. */
  volatile @Nullable Storage manifestSource;

  private List<Descriptor> childrenFromAnywhere(Descriptor manifest) throws IOException {
    Storage from = manifestSource;
    if (from == null) {
      return List.of();
    }
    return Successors.parse(manifest, Contents.fetchAll(from, manifest, Long.MAX_VALUE));
  }
}
