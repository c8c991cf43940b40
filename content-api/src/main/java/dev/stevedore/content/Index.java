package dev.stevedore.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.stevedore.content.internal.Json;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An OCI image index (also the shape of a Docker manifest list and of an OCI layout's {@code
 * index.json}): a list of manifests, an optional subject, annotations.
 *
 * <p>Reading follows Go's encoding/json, as oras-go reads: unknown fields are ignored, a value of
 * the wrong JSON type is an error naming its field; {@link #toJson()} writes in the OCI Go types'
 * order with their omissions ({@code manifests} always present), compact, annotations sorted.
 *
 * @param schemaVersion always 2 for indexes Stevedore writes
 * @param mediaType the index media type, or null
 * @param artifactType the artifact type, or null
 * @param manifests the manifests, possibly empty
 * @param subject the manifest this index refers to, or null
 * @param annotations annotations, possibly empty, sorted
 */
@JsonPropertyOrder({
  "schemaVersion",
  "mediaType",
  "artifactType",
  "manifests",
  "subject",
  "annotations"
})
public record Index(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Nullable String mediaType,
    @JsonProperty("artifactType") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Nullable String artifactType,
    @JsonProperty("manifests") List<Descriptor> manifests,
    @JsonProperty("subject") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable Descriptor subject,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, String> annotations) {

  /** Normalizes: null manifests become empty, empty strings become null, collections are copied. */
  public Index {
    mediaType = mediaType == null || mediaType.isEmpty() ? null : mediaType;
    artifactType = artifactType == null || artifactType.isEmpty() ? null : artifactType;
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
    annotations = Json.sortedCopy(annotations);
  }

  /**
   * An OCI index of manifests, schema version 2, with the OCI index media type.
   *
   * @param manifests the manifests
   * @return the index
   */
  public static Index of(List<Descriptor> manifests) {
    return new Index(2, MediaTypes.OCI_INDEX, null, manifests, null, Map.of());
  }

  /**
   * A copy with other manifests.
   *
   * @param newManifests the manifests
   * @return the new index
   */
  public Index withManifests(List<Descriptor> newManifests) {
    return new Index(schemaVersion, mediaType, artifactType, newManifests, subject, annotations);
  }

  /**
   * Parses an index.
   *
   * @param json the index bytes
   * @return the index
   * @throws InvalidDescriptorException if the bytes are not a well-formed index
   */
  public static Index parse(byte[] json) throws InvalidDescriptorException {
    return OciJson.parseIndex(json);
  }

  /**
   * Serializes canonically.
   *
   * @return the JSON bytes
   */
  public byte[] toJson() {
    return OciJson.write(this);
  }
}
