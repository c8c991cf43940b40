package dev.stevedore.content;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.content.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
    String[] fields = fieldsOf(node.mediaType());
    if (fields == null) {
      return List.of();
    }
    String what = node.mediaType() + " " + node.digest();
    List<Descriptor> streamed = stream(content, fields);
    if (streamed != null) {
      return streamed;
    }
    // Not the well-formed document the streaming read expects: the tree reading says what is wrong.
    return collect(Json.tree(content, what), what, fields);
  }

  private static final String[] OCI_MANIFEST_FIELDS = {"subject", "config", "layers"};
  private static final String[] OCI_INDEX_FIELDS = {"subject", "manifests"};
  private static final String[] DOCKER_MANIFEST_FIELDS = {"config", "layers"};
  private static final String[] DOCKER_MANIFEST_LIST_FIELDS = {"manifests"};
  private static final String[] OCI_ARTIFACT_MANIFEST_FIELDS = {"subject", "blobs"};

  /** The fields that hold a media type's successors, in order; null for a leaf. */
  private static String @Nullable [] fieldsOf(String mediaType) {
    return switch (mediaType) {
      case MediaTypes.OCI_MANIFEST -> OCI_MANIFEST_FIELDS;
      case MediaTypes.OCI_INDEX -> OCI_INDEX_FIELDS;
      case MediaTypes.DOCKER_MANIFEST -> DOCKER_MANIFEST_FIELDS;
      case MediaTypes.DOCKER_MANIFEST_LIST -> DOCKER_MANIFEST_LIST_FIELDS;
      case MediaTypes.OCI_ARTIFACT_MANIFEST -> OCI_ARTIFACT_MANIFEST_FIELDS;
      default -> null;
    };
  }

  /**
   * Reads the successors with a streaming parser, binding each descriptor straight from the tokens
   * (no tree of the whole document): the fast path for well-formed content. Returns null on
   * anything unexpected (malformed JSON, a field that is not a descriptor, a descriptor that does
   * not bind), so that the tree reading reports it with its usual message.
   */
  private static @Nullable List<Descriptor> stream(byte[] content, String[] fields) {
    @SuppressWarnings("unchecked")
    List<Descriptor>[] found = new List[fields.length];
    try (JsonParser parser = Json.mapper().createParser(content)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        int slot = slotOf(fields, parser.currentName());
        JsonToken value = parser.nextToken();
        if (slot < 0) {
          parser.skipChildren();
          continue;
        }
        if (value == JsonToken.VALUE_NULL) {
          found[slot] = null; // a later duplicate field wins, as in the tree
        } else if (value == JsonToken.START_ARRAY) {
          List<Descriptor> list = new ArrayList<>();
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            list.add(Json.mapper().readValue(parser, Descriptor.class));
          }
          if (parser.currentToken() != JsonToken.END_ARRAY) {
            return null;
          }
          found[slot] = list;
        } else if (value == JsonToken.START_OBJECT) {
          found[slot] = List.of(Json.mapper().readValue(parser, Descriptor.class));
        } else {
          return null;
        }
      }
      if (token != JsonToken.END_OBJECT) {
        return null;
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    int total = 0;
    for (List<Descriptor> list : found) {
      total += list == null ? 0 : list.size();
    }
    List<Descriptor> out = new ArrayList<>(total);
    for (List<Descriptor> list : found) {
      if (list != null) {
        out.addAll(list);
      }
    }
    return List.copyOf(out);
  }

  private static int slotOf(String[] fields, String name) {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].equals(name)) {
        return i;
      }
    }
    return -1;
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
