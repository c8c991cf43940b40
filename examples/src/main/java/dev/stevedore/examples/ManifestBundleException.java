package dev.stevedore.examples;

import dev.stevedore.content.ContentException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why {@link ManifestBundlePublisher} refused or failed, one {@link Problem} per cause. The message
 * starts with the ksail seed's error text for that cause (so tools matching ksail's messages match
 * these), followed by what was wrong here.
 */
public final class ManifestBundleException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** The causes, each with the seed's error text. */
  public enum Problem {
    /** No source path was given. */
    SOURCE_REQUIRED("source path is required"),
    /** The source path does not exist. */
    SOURCE_MISSING("source path does not exist"),
    /** The source path is not a directory. */
    SOURCE_NOT_A_DIRECTORY("source path must be a directory"),
    /** No registry endpoint was given. */
    REGISTRY_REQUIRED("registry endpoint is required"),
    /** No version was given. */
    VERSION_REQUIRED("version is required"),
    /**
     * The version is not a tag a registry accepts (the seed fails here only when it builds the
     * reference).
     */
    VERSION_INVALID("parse reference"),
    /** The source holds no {@code .yaml}, {@code .yml} or {@code .json} file. */
    NO_MANIFESTS_FOUND("no manifest files found in source directory"),
    /** A manifest file is empty. */
    EMPTY_MANIFEST_FILE("discover manifests"),
    /** An OCI reference does not start with {@code oci://}. */
    INVALID_REFERENCE_SCHEME("OCI reference must start with 'oci://'"),
    /** An OCI reference has no path after the host. */
    INVALID_REFERENCE_FORMAT(
        "invalid OCI reference format; expected oci://<host>:<port>/<repository>[/<variant>]:<ref>"),
    /** An OCI reference has a port that is not a number from 1 to 65535. */
    INVALID_REFERENCE_PORT("invalid port number in OCI reference"),
    /** The registry cannot be reached (or did not answer in time). */
    REGISTRY_UNREACHABLE("registry is unreachable"),
    /** The registry wants credentials and none were given. */
    AUTHENTICATION_REQUIRED(
        "registry requires authentication\n"
            + "  - configure credentials with --local-registry user:pass@host/repo"),
    /** The credentials are invalid or may not push to the repository. */
    PERMISSION_DENIED(
        "registry access denied\n  - check credentials have write permission to the repository"),
    /** The registry or repository does not exist (answered 404 to the push). */
    REPOSITORY_NOT_FOUND(
        "registry or repository not found\n  - verify the registry URL is correct");

    private final String seedMessage;

    Problem(String seedMessage) {
      this.seedMessage = seedMessage;
    }

    /**
     * The seed's error text for this cause.
     *
     * @return the text
     */
    public String seedMessage() {
      return seedMessage;
    }
  }

  /** The problem, serialized with the exception. */
  private final Problem problem;

  /**
   * Creates the exception; the message is the seed's text, then {@code ": "} and the detail when
   * there is one.
   *
   * @param problem the cause
   * @param detail what was wrong here, or null
   * @param cause the underlying failure, or null
   */
  public ManifestBundleException(
      Problem problem, @Nullable String detail, @Nullable Throwable cause) {
    super(
        Objects.requireNonNull(problem, "problem").seedMessage()
            + (detail == null ? "" : ": " + detail),
        cause);
    this.problem = problem;
  }

  private ManifestBundleException(String message, Problem problem, @Nullable Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  /**
   * The same problem, its message prefixed with a context, e.g. {@code registry access verification
   * failed}.
   *
   * @param context the context
   * @return the new exception, with this one's cause
   */
  ManifestBundleException within(String context) {
    return new ManifestBundleException(context + ": " + getMessage(), problem, getCause());
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
