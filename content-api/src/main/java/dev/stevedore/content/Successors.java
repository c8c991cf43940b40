package dev.stevedore.content;

import java.io.IOException;
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
    return OciJson.descriptorsOf(content, node.mediaType() + " " + node.digest(), fields);
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
}
