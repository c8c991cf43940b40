package dev.stevedore.content.remote;

import dev.stevedore.content.Digest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A best-effort step of the referrers tag schema that did not happen, reported instead of failing
 * the operation (as oras-go's {@code ReferrersError} with {@code IsReferrersIndexDelete}): the push
 * or copy that caused it succeeded. Registries without the referrers API keep a subject's referrers
 * in an image index tagged {@code <alg>-<hex>}; this client rewrites that index on each push or
 * delete of a referrer.
 *
 * @param kind what happened
 * @param repository the repository, {@code host/name}
 * @param subject the subject whose referrers index is concerned
 * @param message a sentence for people: what happened and what to do
 * @param cause the failure behind it, or null
 */
public record ReferrersWarning(
    Kind kind, String repository, Digest subject, String message, @Nullable Throwable cause) {

  /** What happened. */
  public enum Kind {
    /**
     * The superseded referrers index could not be deleted (e.g. the registry refuses DELETE, as
     * GHCR, Docker Hub and distribution with {@code storage.delete.enabled: false} do). The new
     * index is in place; the old one stays in the repository, untagged.
     */
    INDEX_NOT_DELETED,
    /**
     * The {@code <alg>-<hex>} tag of a subject holds something other than an OCI image index of
     * manifests (an image someone tagged that way, an unrelated artifact); it was ignored, not read
     * as referrers (oras-go #1396).
     */
    NOT_A_REFERRERS_INDEX
  }

  /**
   * Checks the parts.
   *
   * @throws NullPointerException if a part other than the cause is null
   */
  public ReferrersWarning {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return message;
  }
}
