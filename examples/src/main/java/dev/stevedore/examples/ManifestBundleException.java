package dev.stevedore.examples;

import dev.stevedore.content.ContentException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why {@link ManifestBundlePublisher} refused or failed, one {@link Problem} per cause, each with a
 * message that says what to do.
 */
public final class ManifestBundleException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The causes, each its own message. */
  public enum Problem {
    /** No source path was given. */
    SOURCE_REQUIRED,
    /** The source path does not exist. */
    SOURCE_MISSING,
    /** The source path is not a directory. */
    SOURCE_NOT_A_DIRECTORY,
    /** No registry was given. */
    REGISTRY_REQUIRED,
    /** No repository was given, or it is not a valid name. */
    REPOSITORY_INVALID,
    /** No version (tag) was given, or it is not a valid tag. */
    VERSION_REQUIRED,
    /** The source holds no {@code .yaml}, {@code .yml} or {@code .json} file. */
    NO_MANIFESTS_FOUND,
    /** The registry cannot be reached. */
    REGISTRY_UNREACHABLE,
    /** The registry wants credentials and none were given. */
    AUTHENTICATION_REQUIRED,
    /** The registry rejected the credentials. */
    CREDENTIALS_REJECTED,
    /** The credentials may not push to the repository. */
    PERMISSION_DENIED,
    /** The registry has no such repository and does not create it on push. */
    REPOSITORY_NOT_FOUND
  }

  /** The problem, serialized with the exception. */
  private final Problem problem;

  /**
   * Creates the exception.
   *
   * @param problem the cause
   * @param message what failed and what to do
   * @param cause the underlying failure, or null
   */
  public ManifestBundleException(Problem problem, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /**
   * The cause.
   *
   * @return the problem
   */
  public Problem problem() {
    return problem;
  }
}
