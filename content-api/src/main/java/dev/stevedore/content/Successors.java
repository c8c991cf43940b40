package dev.stevedore.content;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.content.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The successors of a node in a content graph: the content a manifest or index points at.
 *
 * <p>In this order, as oras-go's {@code content.Successors}: OCI manifest → subject, config,
 * layers; OCI index → subject, manifests; Docker manifest → config, layers; Docker manifest list →
 * manifests; the deprecated OCI artifact manifest → subject, blobs. Any other media type is a leaf
 * and is not fetched.
 */
public final class Successors {
  private Successors() {}

  /**
   * Tells whether a node of this media type can have successors (and so must be fetched to find
   * them).
   *
   * @param mediaType the media type
   * @return true for the manifest and index types listed above
   */
  public static boolean mayHaveSuccessors(String mediaType) {
    return switch (mediaType) {
      case MediaTypes.OCI_MANIFEST,
          MediaTypes.OCI_INDEX,
          MediaTypes.DOCKER_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST,
          MediaTypes.OCI_ARTIFACT_MANIFEST ->
          true;
      default -> false;
    };
  }

  /**
   * Fetches a node (when it can have successors) and returns its successors.
   *
   * @param fetcher where to fetch from
   * @param node the node
   * @param maxBytes the metadata limit for the fetch
   * @return the successors, empty for a leaf
   * @throws IOException if fetching fails or the content is malformed
   */
  public static List<Descriptor> find(Fetcher fetcher, Descriptor node, long maxBytes)
      throws IOException {
    if (!mayHaveSuccessors(node.mediaType())) {
      return List.of();
    }
    return parse(node, Contents.fetchAll(fetcher, node, maxBytes));
  }

  /**
   * Parses the successors out of a node's content.
   *
   * @param node the node's descriptor (its media type decides how to read the content)
   * @param content the node's bytes
   * @return the successors, empty for a leaf
   * @throws InvalidDescriptorException if the content is not well-formed for its media type
   */
  public static List<Descriptor> parse(Descriptor node, byte[] content)
      throws InvalidDescriptorException {
    String what = node.mediaType() + " " + node.digest();
    return switch (node.mediaType()) {
      case MediaTypes.OCI_MANIFEST ->
          collect(Json.tree(content, what), what, "subject", "config", "layers");
      case MediaTypes.OCI_INDEX -> collect(Json.tree(content, what), what, "subject", "manifests");
      case MediaTypes.DOCKER_MANIFEST ->
          collect(Json.tree(content, what), what, "config", "layers");
      case MediaTypes.DOCKER_MANIFEST_LIST -> collect(Json.tree(content, what), what, "manifests");
      case MediaTypes.OCI_ARTIFACT_MANIFEST ->
          collect(Json.tree(content, what), what, "subject", "blobs");
      default -> List.of();
    };
  }

  private static List<Descriptor> collect(JsonNode root, String what, String... fields)
      throws InvalidDescriptorException {
    if (!root.isObject()) {
      throw new InvalidDescriptorException("malformed " + what + ": not a JSON object");
    }
    List<Descriptor> out = new ArrayList<>();
    for (String field : fields) {
      JsonNode node = root.get(field);
      if (node == null || node.isNull()) {
        continue;
      }
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          out.add(descriptor(node.get(i), what, field + "[" + i + "]"));
        }
      } else {
        out.add(descriptor(node, what, field));
      }
    }
    return List.copyOf(out);
  }

  private static Descriptor descriptor(JsonNode node, String what, String where)
      throws InvalidDescriptorException {
    if (!node.isObject()) {
      throw new InvalidDescriptorException(
          "malformed " + what + ": " + where + " is not a descriptor object");
    }
    try {
      return Json.mapper().treeToValue(node, Descriptor.class);
    } catch (IOException | IllegalArgumentException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidDescriptorException(
          "malformed " + what + ": " + where + ": " + cause.getMessage(), e);
    }
  }
}
