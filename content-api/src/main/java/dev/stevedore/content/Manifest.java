package dev.stevedore.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.stevedore.content.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An OCI image manifest (also the shape of a Docker v2 schema 2 manifest): a config, layers, an
 * optional subject it refers to, and annotations.
 *
 * <p>Reading follows Go's encoding/json, as oras-go reads: unknown fields are ignored, a value of
 * the wrong JSON type is an error naming its field; {@link #toJson()} writes the fields in the
 * order and with the omissions of the OCI Go types ({@code layers} always present), compact,
 * annotations sorted: the bytes oras-go writes for the same values.
 *
 * @param schemaVersion always 2 for manifests Stevedore writes
 * @param mediaType the manifest media type, or null
 * @param artifactType the artifact type, or null
 * @param config the config descriptor
 * @param layers the layers, possibly empty
 * @param subject the manifest this one refers to (for referrers), or null
 * @param annotations annotations, possibly empty, sorted
 */
@JsonPropertyOrder({
  "schemaVersion",
  "mediaType",
  "artifactType",
  "config",
  "layers",
  "subject",
  "annotations"
})
public record Manifest(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Nullable String mediaType,
    @JsonProperty("artifactType") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Nullable String artifactType,
    @JsonProperty("config") Descriptor config,
    @JsonProperty("layers") List<Descriptor> layers,
    @JsonProperty("subject") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable Descriptor subject,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, String> annotations) {

  /**
   * Validates and normalizes: config is required; null layers become empty; empty strings become
   * null.
   *
   * @throws NullPointerException if config is missing
   */
  public Manifest {
    Objects.requireNonNull(config, "manifest config");
    mediaType = mediaType == null || mediaType.isEmpty() ? null : mediaType;
    artifactType = artifactType == null || artifactType.isEmpty() ? null : artifactType;
    layers = layers == null ? List.of() : List.copyOf(layers);
    annotations = Json.sortedCopy(annotations);
  }

  /**
   * Parses a manifest.
   *
   * @param json the manifest bytes
   * @return the manifest
   * @throws InvalidDescriptorException if the bytes are not a well-formed manifest
   */
  public static Manifest parse(byte[] json) throws InvalidDescriptorException {
    return OciJson.parseManifest(json);
  }

  /**
   * Serializes canonically (see the class description).
   *
   * @return the JSON bytes
   */
  public byte[] toJson() {
    return OciJson.write(this);
  }
}
