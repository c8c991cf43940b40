package dev.stevedore.content;

import java.util.Objects;

/**
 * The identity of content: media type, digest and size, as oras-go keys content on them. Two
 * descriptors with the same key name the same content, whatever their annotations.
 *
 * @param mediaType the media type
 * @param digest the digest
 * @param size the size in bytes
 */
public record ContentKey(String mediaType, Digest digest, long size) {
  /** Validates the parts. */
  public ContentKey {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
  }

  @Override
  public String toString() {
    return digest + " (" + mediaType + ", " + size + " bytes)";
  }
}
