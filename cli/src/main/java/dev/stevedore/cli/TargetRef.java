package dev.stevedore.cli;

import dev.stevedore.content.Digest;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A target as written on the command line, one syntax in every command:
 *
 * <ul>
 *   <li>{@code host[:port]/repo[:tag|@digest]}: a repository of a registry;
 *   <li>{@code oci:PATH[:tag|@digest]}: an OCI layout directory (created on write);
 *   <li>{@code oci-archive:FILE[:tag]}: an OCI layout tar archive (read-only).
 * </ul>
 *
 * @param kind what kind of store
 * @param location the registry reference's {@code host/repo}, or the path
 * @param registry the parsed registry reference, for {@link Kind#REGISTRY}
 * @param tag the tag, or null
 * @param digest the digest, or null
 */
record TargetRef(
    Kind kind,
    String location,
    @Nullable Reference registry,
    @Nullable String tag,
    @Nullable Digest digest,
    List<String> moreTags) {

  /** The kinds of target. */
  enum Kind {
    /** A registry repository. */
    REGISTRY,
    /** An OCI layout directory. */
    OCI_LAYOUT,
    /** An OCI layout tar archive. */
    OCI_ARCHIVE
  }

  TargetRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(location, "location");
    moreTags = List.copyOf(moreTags);
  }

  TargetRef(
      Kind kind,
      String location,
      @Nullable Reference registry,
      @Nullable String tag,
      @Nullable Digest digest) {
    this(kind, location, registry, tag, digest, List.of());
  }

  /**
   * Every tag the target names: {@code repo:a,b,c} names three (oras's syntax for several tags).
   *
   * @return the tags, first the one {@link #tag()} returns; empty without a tag
   */
  List<String> tags() {
    if (tag == null) {
      return List.of();
    }
    List<String> all = new ArrayList<>();
    all.add(tag);
    all.addAll(moreTags);
    return all;
  }

  /**
   * Parses a target; with {@code layoutPaths} (oras's {@code --oci-layout}), a target without a
   * prefix is a layout path.
   *
   * @param text the argument
   * @param layoutPaths whether plain text names an OCI layout
   * @return the target
   * @throws InvalidReferenceException with a message that shows the accepted forms
   */
  static TargetRef parse(String text, boolean layoutPaths) throws InvalidReferenceException {
    if (layoutPaths && !text.startsWith("oci:") && !text.startsWith("oci-archive:")) {
      return parse("oci:" + text);
    }
    return parse(text);
  }

  /**
   * Parses a target.
   *
   * @param text the argument
   * @return the target
   * @throws InvalidReferenceException with a message that shows the accepted forms
   */
  static TargetRef parse(String text) throws InvalidReferenceException {
    Objects.requireNonNull(text, "text");
    int slash = text.lastIndexOf('/');
    int comma = text.indexOf(',', Math.max(slash, 0));
    if (comma > 0 && text.indexOf('@', Math.max(slash, 0)) < 0) {
      TargetRef first = parse(text.substring(0, comma));
      if (first.tag == null) {
        throw new InvalidReferenceException(
            "invalid target \"" + text + "\": several tags are written repo:tag1,tag2");
      }
      List<String> more = new ArrayList<>();
      for (String extra : text.substring(comma + 1).split(",", -1)) {
        if (!Reference.isValidTag(extra)) {
          throw new InvalidReferenceException(
              "invalid target \""
                  + text
                  + "\": invalid tag \""
                  + extra
                  + "\" (expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
        }
        more.add(extra);
      }
      return new TargetRef(first.kind, first.location, first.registry, first.tag, null, more);
    }
    if (text.startsWith("oci:")) {
      return local(Kind.OCI_LAYOUT, text, text.substring("oci:".length()));
    }
    if (text.startsWith("oci-archive:")) {
      TargetRef ref = local(Kind.OCI_ARCHIVE, text, text.substring("oci-archive:".length()));
      if (ref.digest != null) {
        throw new InvalidReferenceException(
            "invalid target \""
                + text
                + "\": an oci-archive target takes a tag, not a digest (oci-archive:FILE[:tag])");
      }
      return ref;
    }
    Reference reference;
    try {
      reference = Reference.parse(text);
    } catch (InvalidReferenceException e) {
      throw new InvalidReferenceException(
          e.getMessage()
              + "\n  targets are host[:port]/repo[:tag|@digest], oci:PATH[:tag|@digest] or oci-archive:FILE[:tag]",
          e);
    }
    checkPort(reference.registry(), text);
    return new TargetRef(
        Kind.REGISTRY,
        reference.registry() + "/" + reference.repository(),
        reference,
        reference.tag(),
        reference.digest());
  }

  /**
   * Refuses a registry host whose port is outside 1-65535 (a usage error, not a connection
   * failure).
   *
   * @param host host[:port]
   * @param text the argument, for the message
   * @throws InvalidReferenceException for a bad port
   */
  static void checkPort(String host, String text) throws InvalidReferenceException {
    int close = host.lastIndexOf(']');
    int colon = host.lastIndexOf(':');
    if (colon < 0 || colon < close) {
      return;
    }
    String port = host.substring(colon + 1);
    long value;
    try {
      value = port.isEmpty() || port.length() > 6 ? -1 : Long.parseLong(port);
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 1 || value > 65535) {
      throw new InvalidReferenceException(
          "invalid target \"" + text + "\": port \"" + port + "\" is outside 1-65535");
    }
  }

  private static TargetRef local(Kind kind, String text, String rest)
      throws InvalidReferenceException {
    int slash = rest.lastIndexOf('/');
    String path = rest;
    String tag = null;
    Digest digest = null;
    int at = rest.indexOf('@', Math.max(slash, 0));
    if (at >= 0) {
      path = rest.substring(0, at);
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (dev.stevedore.content.InvalidDescriptorException e) {
        throw new InvalidReferenceException(
            "invalid target \"" + text + "\": " + e.getMessage(), e);
      }
    } else {
      int colon = rest.indexOf(':', Math.max(slash, 0));
      if (colon >= 0) {
        path = rest.substring(0, colon);
        tag = rest.substring(colon + 1);
        if (!Reference.isValidTag(tag)) {
          throw new InvalidReferenceException(
              "invalid target \""
                  + text
                  + "\": invalid tag \""
                  + tag
                  + "\" (expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
        }
      }
    }
    if (path.isEmpty()) {
      throw new InvalidReferenceException(
          "invalid target \""
              + text
              + "\": missing path after \""
              + (kind == Kind.OCI_LAYOUT ? "oci:" : "oci-archive:")
              + "\"");
    }
    return new TargetRef(kind, path, null, tag, digest);
  }

  /**
   * The local path of a layout or archive.
   *
   * @return the path
   */
  Path path() {
    if (kind == Kind.REGISTRY) {
      throw new IllegalStateException("a registry target has no path");
    }
    return Path.of(location);
  }

  /**
   * The reference to resolve: the digest when given, else the tag, else null.
   *
   * @return the reference or null
   */
  @Nullable String reference() {
    return digest != null ? digest.toString() : tag;
  }

  /**
   * The reference, or a usage error when there is none.
   *
   * @return the reference
   * @throws InvalidReferenceException when the target has neither tag nor digest
   */
  String requireReference() throws InvalidReferenceException {
    String ref = reference();
    if (ref == null) {
      throw new InvalidReferenceException(
          "target \"" + this + "\" needs a tag or a digest, e.g. " + this + ":latest");
    }
    return ref;
  }

  @Override
  public String toString() {
    String prefix =
        switch (kind) {
          case REGISTRY -> "";
          case OCI_LAYOUT -> "oci:";
          case OCI_ARCHIVE -> "oci-archive:";
        };
    return prefix
        + location
        + (tag == null ? "" : ":" + String.join(",", tags()))
        + (digest == null ? "" : "@" + digest);
  }
}
