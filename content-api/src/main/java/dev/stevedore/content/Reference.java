package dev.stevedore.content;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A reference to content in a registry: {@code registry/repository[:tag][@digest]}, following the
 * distribution reference grammar (host with an optional port; lower-case path components joined by
 * {@code /} with {@code .}, {@code _}, {@code __} or {@code -} separators; tag {@code
 * [\w][\w.-]{0,127}}; a valid digest).
 *
 * <p>When both a tag and a digest are given, the digest wins for resolution (as in oras-go); the
 * tag is kept for display.
 *
 * @param registry the host, with an optional port, e.g. {@code localhost:5000}
 * @param repository the repository path, e.g. {@code library/alpine}
 * @param tag the tag, or null
 * @param digest the digest, or null
 */
public record Reference(
    String registry, String repository, @Nullable String tag, @Nullable Digest digest) {

  private static final Pattern DOMAIN_COMPONENT =
      Pattern.compile("(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])");
  private static final Pattern HOST =
      Pattern.compile(
          "(?:"
              + DOMAIN_COMPONENT.pattern()
              + "(?:\\."
              + DOMAIN_COMPONENT.pattern()
              + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
  private static final Pattern REPOSITORY =
      Pattern.compile(PATH_COMPONENT.pattern() + "(?:/" + PATH_COMPONENT.pattern() + ")*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final int MAX_NAME_LENGTH = 255;

  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException if a part breaks the grammar (use {@link #parse(String)} for
   *     checked errors with messages naming the bad part)
   */
  public Reference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    tag = tag == null || tag.isEmpty() ? null : tag;
    String problem = problem(registry, repository, tag);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Parses {@code registry/repository[:tag][@digest]}.
   *
   * @param value the reference
   * @return the reference
   * @throws InvalidReferenceException if the value breaks the grammar; the message names the bad
   *     part
   */
  public static Reference parse(String value) throws InvalidReferenceException {
    Objects.requireNonNull(value, "value");
    String rest = value;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String digestPart = rest.substring(at + 1);
      try {
        digest = Digest.parse(digestPart);
      } catch (InvalidDescriptorException e) {
        throw new InvalidReferenceException(
            "invalid reference \"" + value + "\": " + e.getMessage(), e);
      }
      rest = rest.substring(0, at);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw new InvalidReferenceException(
          "invalid reference \""
              + value
              + "\": missing registry; expected registry/repository[:tag][@digest], e.g. localhost:5000/hello:v1");
    }
    String registry = rest.substring(0, slash);
    String path = rest.substring(slash + 1);
    String tag = null;
    int colon = path.lastIndexOf(':');
    if (colon >= 0) {
      tag = path.substring(colon + 1);
      path = path.substring(0, colon);
      if (tag.isEmpty()) {
        throw new InvalidReferenceException(
            "invalid reference \"" + value + "\": empty tag after ':'");
      }
    }
    String problem = problem(registry, path, tag);
    if (problem != null) {
      throw new InvalidReferenceException("invalid reference \"" + value + "\": " + problem);
    }
    return new Reference(registry, path, tag, digest);
  }

  /**
   * Tells whether a string is a valid tag.
   *
   * @param tag the candidate
   * @return true when it matches {@code [\w][\w.-]{0,127}}
   */
  public static boolean isValidTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  /**
   * Tells whether a string is a valid repository path.
   *
   * @param repository the candidate
   * @return true when it follows the path grammar
   */
  public static boolean isValidRepository(String repository) {
    return repository != null && REPOSITORY.matcher(repository).matches();
  }

  /**
   * The reference part used for resolution: the digest when present, else the tag.
   *
   * @return the digest's wire form, the tag, or null when neither is set
   */
  public @Nullable String reference() {
    return digest != null ? digest.toString() : tag;
  }

  /**
   * A copy with another tag or digest.
   *
   * @param reference a tag or a digest
   * @return the new reference
   * @throws InvalidReferenceException if {@code reference} is neither
   */
  public Reference withReference(String reference) throws InvalidReferenceException {
    if (reference.indexOf(':') > 0) {
      try {
        return new Reference(registry, repository, null, Digest.parse(reference));
      } catch (InvalidDescriptorException e) {
        throw new InvalidReferenceException(
            "invalid digest reference \"" + reference + "\": " + e.getMessage(), e);
      }
    }
    if (!isValidTag(reference)) {
      throw new InvalidReferenceException(
          "invalid tag \"" + reference + "\": expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    }
    return new Reference(registry, repository, reference, null);
  }

  /** Returns {@code registry/repository[:tag][@digest]}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(registry).append('/').append(repository);
    if (tag != null) {
      s.append(':').append(tag);
    }
    if (digest != null) {
      s.append('@').append(digest);
    }
    return s.toString();
  }

  private static @Nullable String problem(
      String registry, String repository, @Nullable String tag) {
    if (!HOST.matcher(registry).matches()) {
      return "invalid registry \""
          + registry
          + "\": expected a host name or address with an optional port";
    }
    if (repository.isEmpty()) {
      return "missing repository after the registry";
    }
    if (!REPOSITORY.matcher(repository).matches()) {
      return "invalid repository \""
          + repository
          + "\": path components must be lower-case letters and digits separated by '.', '_', '__' or '-'";
    }
    if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
      return "repository name longer than " + MAX_NAME_LENGTH + " characters";
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      return "invalid tag \"" + tag + "\": expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    }
    return null;
  }
}
