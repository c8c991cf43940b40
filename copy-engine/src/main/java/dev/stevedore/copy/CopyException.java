package dev.stevedore.copy;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A copy failed: says which side failed (the source or the destination), in which operation, and
 * for which descriptor. The store's own exception is the cause, so
 * {@code ContentException.is(e, NotFoundException.class)} still classifies the failure.
 *
 * <p>Exceptions thrown by the caller's own hooks (pre-copy, post-copy, on-skipped, on-mounted,
 * successor and predecessor lookups that are not store calls) are not wrapped: they reach the
 * caller unchanged.
 */
public final class CopyException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** Which store of a copy failed. */
  public enum Side {
    /** The store copied from. */
    SOURCE,
    /** The store copied to. */
    DESTINATION
  }

  /** The store operation that failed. */
  public enum Operation {
    /** Resolving a reference to a descriptor. */
    RESOLVE,
    /** Mapping the resolved root, e.g. selecting a platform. */
    MAP_ROOT,
    /** Fetching content (including reading it to its end, and verifying it). */
    FETCH,
    /** Asking whether content exists. */
    EXISTS,
    /** Pushing content (including pushing a manifest under a tag in one request). */
    PUSH,
    /** Tagging content. */
    TAG,
    /** Mounting a blob from another repository. */
    MOUNT,
    /** Finding the predecessors (referrers) of a node. */
    PREDECESSORS
  }

  /** The side, serialized with the exception. */
  private final Side side;
  /** The operation, serialized with the exception. */
  private final Operation operation;
  /** The descriptor, serialized with the exception. */
  private final transient @Nullable Descriptor descriptor;

  /**
   * Creates the exception; the message is built from the parts and the cause's message.
   *
   * @param side which store failed
   * @param operation what it was asked to do
   * @param descriptor the content concerned, or null when there is none (resolving a reference)
   * @param what what was being worked on when there is no descriptor (e.g. the reference)
   * @param cause the store's exception
   */
  public CopyException(Side side, Operation operation, @Nullable Descriptor descriptor, @Nullable String what,
      Throwable cause) {
    super(message(side, operation, descriptor, what, cause), Objects.requireNonNull(cause, "cause"));
    this.side = Objects.requireNonNull(side, "side");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.descriptor = descriptor;
  }

  /**
   * Which store failed.
   *
   * @return the side
   */
  public Side side() {
    return side;
  }

  /**
   * What the store was asked to do.
   *
   * @return the operation
   */
  public Operation operation() {
    return operation;
  }

  /**
   * The content concerned.
   *
   * @return the descriptor, or null when the operation concerned a reference
   */
  public @Nullable Descriptor descriptor() {
    return descriptor;
  }

  private static String message(Side side, Operation operation, @Nullable Descriptor descriptor,
      @Nullable String what, @Nullable Throwable cause) {
    String store = side == Side.SOURCE ? "the source" : "the destination";
    String object = descriptor != null
        ? descriptor.digest() + " (" + descriptor.mediaType() + ", " + descriptor.size() + " bytes)"
        : what != null ? what : "the content";
    String sentence = switch (operation) {
      case RESOLVE -> "could not find " + object + " in " + store;
      case MAP_ROOT -> "could not choose what to copy from " + object + " (e.g. the platform asked for)";
      case FETCH -> "could not read " + object + " from " + store;
      case EXISTS -> "could not check whether " + store + " already has " + object;
      case PUSH -> "could not write " + object + " to " + store;
      case TAG -> "could not tag " + object + " in " + store;
      case MOUNT -> "could not mount " + (descriptor != null ? descriptor.digest().toString() : "a blob")
          + (what != null ? " from repository " + what : "") + " in " + store;
      case PREDECESSORS -> "could not list the referrers of " + object + " in " + store;
    };
    StringBuilder s = new StringBuilder(sentence);
    if (cause != null && cause.getMessage() != null) {
      s.append(": ").append(cause.getMessage());
    }
    return s.toString();
  }
}
