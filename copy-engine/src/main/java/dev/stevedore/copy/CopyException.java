package dev.stevedore.copy;

import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A copy failed: says which side failed (the source or the destination), in which operation, and
 * for which descriptor. The store's own exception is the cause, so {@code ContentException.is(e,
 * NotFoundException.class)} still classifies the failure.
 *
 * <p>The message has the form of oras-go's {@code CopyError}: {@code failed to perform "Resolve" on
 * source: <the cause's message>}, the operation named as oras-go names it ({@code Resolve}, {@code
 * MapRoot}, {@code Fetch}, {@code Exists}, {@code Push}, {@code Tag}, {@code Mount}, {@code
 * Predecessors}). The structured parts are in {@link #side()}, {@link #operation()}, {@link
 * #descriptor()} and {@link #what()}.
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

  /** The descriptor, not serialized (descriptors are not serializable). */
  private final transient @Nullable Descriptor descriptor;

  /** What was worked on without a descriptor, serialized with the exception. */
  private final @Nullable String what;

  /**
   * Creates the exception; the message is built from the parts and the cause's message.
   *
   * @param side which store failed
   * @param operation what it was asked to do
   * @param descriptor the content concerned, or null when there is none (resolving a reference)
   * @param what what was being worked on when there is no descriptor (e.g. the reference)
   * @param cause the store's exception
   */
  public CopyException(
      Side side,
      Operation operation,
      @Nullable Descriptor descriptor,
      @Nullable String what,
      Throwable cause) {
    super(message(side, operation, cause), Objects.requireNonNull(cause, "cause"));
    this.side = Objects.requireNonNull(side, "side");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.descriptor = descriptor;
    this.what = what;
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

  /**
   * What was worked on when there is no descriptor: the reference being resolved, or the repository
   * a blob was to be mounted from.
   *
   * @return the reference or repository, or null
   */
  public @Nullable String what() {
    return what;
  }

  /** oras-go's {@code CopyError} text: {@code failed to perform "Op" on origin: cause}. */
  private static String message(Side side, Operation operation, @Nullable Throwable cause) {
    String detail =
        cause == null
            ? "unknown cause"
            : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    return "failed to perform \""
        + opName(operation)
        + "\" on "
        + (side == Side.SOURCE ? "source" : "destination")
        + ": "
        + detail;
  }

  /** The operation as oras-go names it: {@code MAP_ROOT} is {@code MapRoot}. */
  private static String opName(Operation operation) {
    StringBuilder name = new StringBuilder();
    for (String word : operation.name().split("_", -1)) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return name.toString();
  }
}
