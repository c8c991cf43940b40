package dev.stevedore.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.stevedore.content.internal.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Describes a piece of content: its media type, digest and size, plus optional URLs, annotations,
 * embedded data, platform and artifact type (OCI image-spec "descriptor").
 *
 * <p>Content identity is {@link #key()}: (media type, digest, size). Annotations are kept sorted
 * (by code point, as Go's encoding/json writes map keys), so a descriptor serializes the same way
 * oras-go's does.
 *
 * @param mediaType the media type of the referenced content
 * @param digest the digest of the referenced content
 * @param size the size in bytes of the referenced content
 * @param urls alternative download URLs, possibly empty
 * @param annotations annotations, possibly empty; iteration is in sorted key order
 * @param data the content itself, embedded, or null
 * @param platform the platform, for manifests in an index, or null
 * @param artifactType the artifact type of the referenced manifest, or null
 */
@JsonPropertyOrder({
  "mediaType",
  "digest",
  "size",
  "urls",
  "annotations",
  "data",
  "platform",
  "artifactType"
})
// The data array stays a component (it is the "data" JSON field); the record copies it in the
// constructor and in data(), and equals/hashCode/toString compare its content, so the array
// never leaks and never compares by identity.
@SuppressWarnings("ArrayRecordComponent")
public record Descriptor(
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("digest") Digest digest,
    @JsonProperty("size") long size,
    @JsonProperty("urls") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> urls,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, String> annotations,
    @JsonProperty("data") @JsonInclude(JsonInclude.Include.NON_EMPTY) byte @Nullable [] data,
    @JsonProperty("platform") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable Platform platform,
    @JsonProperty("artifactType") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Nullable String artifactType) {

  /**
   * Validates and normalizes: digest and media type are required, size is not negative; collections
   * are copied (annotations into a sorted, unmodifiable map); empty data and empty artifact type
   * become null.
   *
   * <p>The constructor is written out rather than compact: javac does not record a type-use
   * annotation on an array parameter of a compact constructor in the class file, so other modules
   * would not see that {@code data} may be null.
   *
   * @param mediaType the media type of the referenced content
   * @param digest the digest of the referenced content
   * @param size the size in bytes of the referenced content
   * @param urls alternative download URLs, possibly empty
   * @param annotations annotations, possibly empty
   * @param data the content itself, embedded, or null
   * @param platform the platform, for manifests in an index, or null
   * @param artifactType the artifact type of the referenced manifest, or null
   * @throws NullPointerException if the digest or media type is missing
   * @throws IllegalArgumentException if the size is negative or an annotation value is null
   */
  public Descriptor(
      String mediaType,
      Digest digest,
      long size,
      List<String> urls,
      Map<String, String> annotations,
      byte @Nullable [] data,
      @Nullable Platform platform,
      @Nullable String artifactType) {
    Objects.requireNonNull(mediaType, "descriptor mediaType");
    Objects.requireNonNull(digest, "descriptor digest");
    if (size < 0) {
      throw new IllegalArgumentException(
          "descriptor size must not be negative: " + size + " for " + digest);
    }
    this.mediaType = mediaType;
    this.digest = digest;
    this.size = size;
    this.urls = urls == null ? List.of() : List.copyOf(urls);
    this.annotations = Json.sortedCopy(annotations);
    this.data = data == null || data.length == 0 ? null : data.clone();
    this.platform = platform;
    this.artifactType = artifactType == null || artifactType.isEmpty() ? null : artifactType;
  }

  /**
   * A descriptor with just media type, digest and size.
   *
   * @param mediaType the media type
   * @param digest the digest
   * @param size the size in bytes
   * @return the descriptor
   */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, List.of(), Map.of(), null, null, null);
  }

  /**
   * The descriptor of bytes (SHA-256), as oras-go's {@code content.NewDescriptorFromBytes}.
   *
   * @param mediaType the media type
   * @param content the bytes
   * @return a descriptor whose digest and size are those of {@code content}
   */
  public static Descriptor of(String mediaType, byte[] content) {
    return of(mediaType, Digest.sha256(content), content.length);
  }

  /**
   * The identity of the content this descriptor names.
   *
   * @return (media type, digest, size)
   */
  public ContentKey key() {
    return new ContentKey(mediaType, digest, size);
  }

  /**
   * The embedded data, a copy.
   *
   * @return the data, or null
   */
  @Override
  public byte @Nullable [] data() {
    return data == null ? null : data.clone();
  }

  /**
   * An annotation.
   *
   * @param key the annotation key
   * @return its value, or null
   */
  public @Nullable String annotation(String key) {
    return annotations.get(key);
  }

  /**
   * A copy with other annotations.
   *
   * @param newAnnotations the annotations
   * @return the new descriptor
   */
  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(
        mediaType, digest, size, urls, newAnnotations, data, platform, artifactType);
  }

  /**
   * A copy with another media type.
   *
   * @param newMediaType the media type
   * @return the new descriptor
   */
  public Descriptor withMediaType(String newMediaType) {
    return new Descriptor(
        newMediaType, digest, size, urls, annotations, data, platform, artifactType);
  }

  /**
   * A copy with a platform.
   *
   * @param newPlatform the platform, may be null
   * @return the new descriptor
   */
  public Descriptor withPlatform(@Nullable Platform newPlatform) {
    return new Descriptor(
        mediaType, digest, size, urls, annotations, data, newPlatform, artifactType);
  }

  /**
   * A copy with an artifact type.
   *
   * @param newArtifactType the artifact type, may be null
   * @return the new descriptor
   */
  public Descriptor withArtifactType(@Nullable String newArtifactType) {
    return new Descriptor(
        mediaType, digest, size, urls, annotations, data, platform, newArtifactType);
  }

  /**
   * A copy with only media type, digest and size, the form stores and caches key on.
   *
   * @return the plain descriptor
   */
  public Descriptor plain() {
    return of(mediaType, digest, size);
  }

  /**
   * Serializes as compact JSON, in the OCI Go types' field order.
   *
   * @return the JSON bytes
   */
  public byte[] toJson() {
    return OciJson.write(this);
  }

  /**
   * Parses a descriptor from JSON.
   *
   * @param json the JSON bytes
   * @return the descriptor
   * @throws InvalidDescriptorException if the JSON is malformed or lacks a required field
   */
  public static Descriptor parse(byte[] json) throws InvalidDescriptorException {
    return OciJson.parseDescriptor(json);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Descriptor d
        && size == d.size
        && mediaType.equals(d.mediaType)
        && digest.equals(d.digest)
        && urls.equals(d.urls)
        && annotations.equals(d.annotations)
        && Arrays.equals(data, d.data)
        && Objects.equals(platform, d.platform)
        && Objects.equals(artifactType, d.artifactType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        mediaType, digest, size, urls, annotations, Arrays.hashCode(data), platform, artifactType);
  }

  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder()
            .append(digest)
            .append(" (")
            .append(mediaType)
            .append(", ")
            .append(size)
            .append(" bytes");
    if (artifactType != null) {
      s.append(", artifactType ").append(artifactType);
    }
    if (platform != null) {
      s.append(", ").append(platform);
    }
    if (!annotations.isEmpty()) {
      s.append(", annotations ").append(annotations);
    }
    return s.append(')').toString();
  }
}
