package dev.stevedore.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the server needs of a manifest or index: what it references (to check the blobs are there),
 * its subject, artifact type and annotations (for the referrers API).
 *
 * @param mediaType the {@code mediaType} field, or null when the document has none
 * @param references config, layers, blobs and child manifests
 * @param subject the {@code subject}, or null
 * @param artifactType {@code artifactType}, else the config's media type for an image manifest, or
 *     null
 * @param annotations the manifest's annotations
 */
record ManifestInfo(
    @Nullable String mediaType,
    List<Descriptor> references,
    @Nullable Descriptor subject,
    @Nullable String artifactType,
    Map<String, String> annotations) {

  ManifestInfo {
    references = List.copyOf(references);
    annotations = Map.copyOf(annotations);
  }

  /**
   * Parses and checks a manifest, index or artifact manifest.
   *
   * @throws RegistryError MANIFEST_INVALID when it is not JSON, not an object, or a descriptor in
   *     it breaks the spec
   */
  static ManifestInfo parse(byte[] json, String contentType) {
    JsonNode root;
    try {
      root = Exchange.JSON.readTree(json);
    } catch (IOException e) {
      throw invalid("the manifest is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(root instanceof ObjectNode)) {
      throw invalid("the manifest is not a JSON object");
    }
    String mediaType = text(root, "mediaType");
    if (mediaType != null && !mediaType.equals(contentType) && isKnown(contentType)) {
      throw invalid(
          "the manifest's mediaType "
              + mediaType
              + " differs from its Content-Type "
              + contentType);
    }
    String type = mediaType != null ? mediaType : contentType;
    JsonNode version = root.get("schemaVersion");
    if (isKnown(type)
        && !type.equals(MediaTypes.OCI_ARTIFACT_MANIFEST)
        && (version == null || !version.isInt() || version.intValue() != 2)) {
      throw invalid("schemaVersion must be 2 for " + type);
    }
    List<Descriptor> references = new ArrayList<>();
    Descriptor config = descriptor(root, "config");
    if (config != null) {
      references.add(config);
    } else if (type.equals(MediaTypes.OCI_MANIFEST) || type.equals(MediaTypes.DOCKER_MANIFEST)) {
      throw invalid("an image manifest needs a config descriptor");
    }
    references.addAll(descriptors(root, "layers"));
    references.addAll(descriptors(root, "blobs"));
    references.addAll(descriptors(root, "manifests"));
    if (MediaTypes.isIndex(type)
        && !(root.get("manifests") instanceof com.fasterxml.jackson.databind.node.ArrayNode)) {
      throw invalid("an index needs a manifests array");
    }
    Descriptor subject = descriptor(root, "subject");
    String artifactType = text(root, "artifactType");
    if (artifactType == null && config != null && type.equals(MediaTypes.OCI_MANIFEST)) {
      artifactType = config.mediaType();
    }
    Map<String, String> annotations = new TreeMap<>();
    JsonNode node = root.get("annotations");
    if (node != null && !node.isNull()) {
      if (!node.isObject()) {
        throw invalid("annotations must be an object of strings");
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isTextual()) {
          throw invalid("annotation " + e.getKey() + " is not a string");
        }
        annotations.put(e.getKey(), e.getValue().textValue());
      }
    }
    return new ManifestInfo(mediaType, references, subject, artifactType, annotations);
  }

  /** Whether a media type is one the server checks the structure of. */
  static boolean isKnown(String mediaType) {
    return MediaTypes.isManifest(mediaType) || MediaTypes.isIndex(mediaType);
  }

  private static @Nullable String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(field + " must be a string");
    }
    return node.textValue();
  }

  private static @Nullable Descriptor descriptor(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    return toDescriptor(node, field);
  }

  private static List<Descriptor> descriptors(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid(field + " must be an array of descriptors");
    }
    List<Descriptor> all = new ArrayList<>();
    int i = 0;
    for (JsonNode element : node) {
      all.add(toDescriptor(element, field + "[" + i++ + "]"));
    }
    return all;
  }

  private static Descriptor toDescriptor(JsonNode node, String where) {
    if (!node.isObject()) {
      throw invalid(where + " must be a descriptor object");
    }
    try {
      return Descriptor.parse(Exchange.JSON.writeValueAsBytes(node));
    } catch (InvalidDescriptorException e) {
      throw invalid(where + " is not a valid descriptor: " + firstLine(e.getMessage()));
    } catch (IOException | RuntimeException e) {
      throw invalid(where + " is not a valid descriptor: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static RegistryError invalid(String message) {
    return new RegistryError(ErrorCode.MANIFEST_INVALID, message);
  }
}
