package dev.stevedore.content;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Base of every failure Stevedore reports about content: a missing blob, a digest that does not
 * match, a malformed manifest, a registry that said no.
 *
 * <p>Subclasses name the cause so callers catch what they handle ({@link NotFoundException}, {@link
 * DigestMismatchException}, ...). Because a higher layer may wrap a cause (the copy engine wraps
 * failures in a {@code CopyException} that says which side failed), use {@link #find(Throwable,
 * Class)} to ask whether a failure was caused by a given kind anywhere in its cause chain, the Java
 * form of Go's {@code errors.Is}.
 *
 * <p>This class is deliberately not sealed: other modules add their own subclasses.
 */
public class ContentException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names what failed, on what, and what to do.
   *
   * @param message the detail message
   */
  public ContentException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause it wraps.
   *
   * @param message the detail message
   * @param cause the underlying failure, may be null
   */
  public ContentException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Walks the cause chain of {@code failure}, starting with {@code failure} itself, and returns the
   * first throwable that is an instance of {@code kind}. Suppressed exceptions are not considered;
   * a cyclic chain is walked once.
   *
   * @param failure the failure to classify, may be null
   * @param kind the kind to look for
   * @param <T> the kind
   * @return the first matching throwable in the chain, or empty
   */
  public static <T extends Throwable> Optional<T> find(@Nullable Throwable failure, Class<T> kind) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (kind.isInstance(t)) {
        return Optional.of(kind.cast(t));
      }
    }
    return Optional.empty();
  }

  /**
   * Tells whether {@code failure} or any throwable in its cause chain is an instance of {@code
   * kind}.
   *
   * @param failure the failure to classify, may be null
   * @param kind the kind to look for
   * @return true when the chain contains an instance of {@code kind}
   */
  public static boolean is(@Nullable Throwable failure, Class<? extends Throwable> kind) {
    return find(failure, kind).isPresent();
  }
}
