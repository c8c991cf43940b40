package dev.stevedore.testing;

import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.PredecessorFinder;
import dev.stevedore.content.Storage;
import dev.stevedore.content.TagResolver;
import dev.stevedore.content.UnsupportedContentException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * A store that forwards every call to a delegate; override a method to count calls, delay them or
 * make them fail. The one base for counting and failure-injecting wrappers.
 *
 * <p>Optional capabilities ({@code Mounter}, {@code ReferenceFetcher}, {@code TagLister}, ...) are
 * <em>not</em> forwarded: the copy engine discovers capabilities with {@code instanceof}, and a
 * wrapper sees only what its own class implements. A subclass that wants to expose one implements
 * the interface and forwards to {@link #delegate()}. Calls that the delegate cannot answer (a tag
 * on a plain {@link Storage}) throw {@link UnsupportedContentException}.
 */
public class ForwardingStore implements GraphTarget, Deleter {
  private final Storage delegate;

  /**
   * Wraps a store.
   *
   * @param delegate the store to forward to
   */
  public ForwardingStore(Storage delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The wrapped store.
   *
   * @return the delegate
   */
  public Storage delegate() {
    return delegate;
  }

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    return delegate.fetch(target);
  }

  @Override
  public boolean exists(Descriptor target) throws IOException {
    return delegate.exists(target);
  }

  @Override
  public void push(Descriptor expected, InputStream content) throws IOException {
    delegate.push(expected, content);
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    if (delegate instanceof TagResolver r) {
      return r.resolve(reference);
    }
    throw unsupported("resolve");
  }

  @Override
  public void tag(Descriptor desc, String reference) throws IOException {
    if (delegate instanceof TagResolver r) {
      r.tag(desc, reference);
      return;
    }
    throw unsupported("tag");
  }

  @Override
  public List<Descriptor> predecessors(Descriptor node) throws IOException {
    if (delegate instanceof PredecessorFinder f) {
      return f.predecessors(node);
    }
    throw unsupported("predecessors");
  }

  @Override
  public void delete(Descriptor target) throws IOException {
    if (delegate instanceof Deleter d) {
      d.delete(target);
      return;
    }
    throw unsupported("delete");
  }

  private UnsupportedContentException unsupported(String operation) {
    return new UnsupportedContentException(
        delegate.getClass().getSimpleName() + " does not support " + operation);
  }
}
