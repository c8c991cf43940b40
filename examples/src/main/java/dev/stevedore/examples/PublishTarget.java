package dev.stevedore.examples;

import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.OciUri;
import dev.stevedore.content.Reference;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where {@link BundlePublisher} puts an artifact: an OCI layout directory, or a repository named
 * {@code oci://host[:port]/repository[:tag]}.
 */
public sealed interface PublishTarget {
  /** The URL scheme that marks a registry target ({@link OciUri#SCHEME}). */
  String SCHEME = OciUri.SCHEME;

  /**
   * The tag the artifact gets.
   *
   * @return the tag
   */
  String tag();

  /**
   * An OCI image layout directory (created when missing).
   *
   * @param directory the layout's root
   * @param tag the tag in its {@code index.json}
   */
  record Layout(Path directory, String tag) implements PublishTarget {
    /** Validates the parts. */
    public Layout {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(tag, "tag");
    }
  }

  /**
   * A repository of a registry.
   *
   * @param reference the repository and tag
   */
  record Remote(Reference reference) implements PublishTarget {
    /** Validates the parts: the reference must carry a tag and no digest. */
    public Remote {
      Objects.requireNonNull(reference, "reference");
      if (reference.tag() == null || reference.digest() != null) {
        throw new IllegalArgumentException(
            "a remote target names a tag and no digest: " + reference);
      }
    }

    @Override
    public String tag() {
      return Objects.requireNonNull(reference.tag());
    }

    /**
     * The chart name a Helm consumer sees at this reference: the repository's last path segment
     * (AICR's {@code Reference.ChartName}).
     *
     * @return e.g. {@code my-bundle-name} for {@code oci://ghcr.io/myorg/my-bundle-name:v1}
     */
    public String chartName() {
      String repository = reference.repository();
      return repository.substring(repository.lastIndexOf('/') + 1);
    }

    /**
     * A copy with another tag.
     *
     * @param newTag the tag
     * @return the new target
     * @throws IllegalArgumentException if the tag is invalid
     */
    public Remote withTag(String newTag) {
      return new Remote(new Reference(reference.registry(), reference.repository(), newTag, null));
    }

    /**
     * The {@code oci://registry/repository:tag} form.
     *
     * @return the URI
     */
    @Override
    public String toString() {
      return SCHEME + reference.registry() + "/" + reference.repository() + ":" + tag();
    }
  }

  /**
   * Parses a target: {@code oci://host[:port]/repository[:tag]} for a registry, anything else is a
   * local layout path.
   *
   * @param value the target
   * @param defaultTag the tag when the value names none (always, for a layout path)
   * @return the target
   * @throws InvalidReferenceException if an {@code oci://} target has no repository, a bad port, a
   *     digest, or breaks the reference grammar; the message names the bad part
   * @throws IllegalArgumentException if the default tag is not a valid tag
   */
  static PublishTarget parse(String value, String defaultTag) throws InvalidReferenceException {
    Objects.requireNonNull(value, "value");
    if (!Reference.isValidTag(defaultTag)) {
      throw new IllegalArgumentException("invalid default tag \"" + defaultTag + "\"");
    }
    if (!OciUri.hasScheme(value)) {
      if (value.isBlank()) {
        throw new InvalidReferenceException(
            "empty target: give a layout directory or oci://host/repository[:tag]");
      }
      return new Layout(Path.of(value), defaultTag);
    }
    String rest = OciUri.trimScheme(value);
    int slash = rest.indexOf('/');
    if (slash < 0 || slash == rest.length() - 1) {
      throw new InvalidReferenceException(
          "invalid target \""
              + value
              + "\": no repository; expected oci://host[:port]/repository[:tag], e.g. oci://localhost:5000/bundles/site");
    }
    String host = rest.substring(0, slash);
    if (host.isEmpty()) {
      throw new InvalidReferenceException(
          "invalid target \"" + value + "\": no host before the repository");
    }
    checkPort(value, host);
    if (rest.indexOf('@') >= 0) {
      throw new InvalidReferenceException(
          "invalid target \""
              + value
              + "\": a publish target names a tag, not a digest; drop the @digest part");
    }
    Reference parsed;
    try {
      parsed = Reference.parse(rest);
    } catch (InvalidReferenceException e) {
      throw new InvalidReferenceException("invalid target \"" + value + "\": " + e.getMessage(), e);
    }
    if (parsed.tag() == null) {
      parsed = new Reference(parsed.registry(), parsed.repository(), defaultTag, null);
    }
    return new Remote(parsed);
  }

  private static void checkPort(String value, String host) throws InvalidReferenceException {
    int colon = host.lastIndexOf(':');
    if (colon < 0 || host.endsWith("]")) {
      return;
    }
    String port = host.substring(colon + 1);
    boolean digits =
        !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw new InvalidReferenceException(
          "invalid target \""
              + value
              + "\": bad port \""
              + port
              + "\"; expected a number from 1 to 65535, e.g. oci://localhost:5000/repository");
    }
  }
}
