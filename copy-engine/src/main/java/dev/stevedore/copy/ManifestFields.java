package dev.stevedore.copy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Fetcher;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.internal.Json;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Reads single fields of a manifest that its descriptor may not carry. */
final class ManifestFields {
  private ManifestFields() {}

  /**
   * The artifact type of a manifest: its {@code artifactType}, else its config's media type (the
   * image-spec rule); empty for anything else.
   */
  static String artifactType(Fetcher source, Descriptor desc, long limit) throws IOException {
    if (!MediaTypes.OCI_MANIFEST.equals(desc.mediaType())
        && !MediaTypes.OCI_ARTIFACT_MANIFEST.equals(desc.mediaType())) {
      return "";
    }
    JsonNode root =
        Json.tree(Contents.fetchAll(source, desc, limit), desc.mediaType() + " " + desc.digest());
    JsonNode type = root.path("artifactType");
    if (type.isTextual() && !type.asText().isEmpty()) {
      return type.asText();
    }
    JsonNode configType = root.path("config").path("mediaType");
    return configType.isTextual() ? configType.asText() : "";
  }

  /** The annotations of a manifest or index; empty for anything else. */
  static Map<String, String> annotations(Fetcher source, Descriptor desc, long limit)
      throws IOException {
    if (!MediaTypes.isManifest(desc.mediaType())) {
      return Map.of();
    }
    JsonNode root =
        Json.tree(Contents.fetchAll(source, desc, limit), desc.mediaType() + " " + desc.digest());
    JsonNode annotations = root.path("annotations");
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> field : annotations.properties()) {
      if (field.getValue().isTextual()) {
        out.put(field.getKey(), field.getValue().asText());
      }
    }
    return out;
  }
}
