package dev.stevedore.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.content.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Converts a legacy Docker image manifest, schema 1 (signed or not), to a Docker v2 schema 2
 * manifest and its image config, the way containerd's schema-1 converter does: layers oldest first,
 * {@code throwaway} history entries kept as empty layers in the history but not as layers, the
 * config built from the newest {@code v1Compatibility} entry without its v1 ids, and {@code
 * rootfs.diff_ids} computed by streaming each layer through gunzip and SHA-256.
 *
 * <p>Schema 1 does not record layer sizes, so a {@link LayerSource} tells them (e.g. a HEAD of each
 * blob) and opens the layers to compute their diff ids. Layers are streamed, never held in memory.
 */
public final class Schema1 {
  private static final List<String> V1_ONLY_FIELDS =
      List.of("id", "parent", "Size", "parent_id", "layer_id", "throwaway");

  private Schema1() {}

  /** Where the converter finds the layers a schema-1 manifest names by digest. */
  public interface LayerSource {
    /**
     * The descriptor of a layer blob: its size (and media type, if known).
     *
     * @param blobSum the digest the manifest names
     * @return the descriptor
     * @throws IOException if the blob cannot be found
     */
    Descriptor describe(Digest blobSum) throws IOException;

    /**
     * Opens a layer blob (the caller closes it).
     *
     * @param layer the descriptor from {@link #describe}
     * @return the compressed layer
     * @throws IOException if it cannot be opened
     */
    InputStream open(Descriptor layer) throws IOException;
  }

  /**
   * The result of a conversion: the schema-2 manifest and its config, with their bytes and
   * descriptors, ready to push (config first).
   *
   * @param manifest the schema-2 manifest
   * @param manifestBytes its JSON
   * @param manifestDescriptor its descriptor (Docker manifest media type)
   * @param config the image config JSON
   * @param configDescriptor its descriptor (Docker config media type)
   */
  // The two byte arrays are the bytes to push, so they stay arrays; the record copies them in and
  // out (constructor and accessors), so a caller cannot change what another caller reads.
  @SuppressWarnings("ArrayRecordComponent")
  public record Converted(
      Manifest manifest,
      byte[] manifestBytes,
      Descriptor manifestDescriptor,
      byte[] config,
      Descriptor configDescriptor) {

    /** Copies the byte arrays. */
    public Converted {
      manifestBytes = manifestBytes.clone();
      config = config.clone();
    }

    /**
     * The manifest JSON, a copy.
     *
     * @return the manifest bytes
     */
    @Override
    public byte[] manifestBytes() {
      return manifestBytes.clone();
    }

    /**
     * The image config JSON, a copy.
     *
     * @return the config bytes
     */
    @Override
    public byte[] config() {
      return config.clone();
    }
  }

  /**
   * Tells whether a media type is schema 1.
   *
   * @param mediaType the media type
   * @return true for the signed and unsigned schema-1 types
   */
  public static boolean isSchema1(String mediaType) {
    return MediaTypes.DOCKER_MANIFEST_SCHEMA1.equals(mediaType)
        || MediaTypes.DOCKER_MANIFEST_SCHEMA1_SIGNED.equals(mediaType);
  }

  /**
   * Converts a schema-1 manifest.
   *
   * @param schema1 the manifest bytes (signatures, if any, are ignored)
   * @param layers where the layers are
   * @return the schema-2 manifest and config
   * @throws InvalidDescriptorException if the manifest is not well-formed schema 1
   * @throws DigestMismatchException if a layer does not match its digest
   * @throws IOException if a layer cannot be read
   */
  public static Converted convert(byte[] schema1, LayerSource layers) throws IOException {
    Objects.requireNonNull(layers, "layers");
    JsonNode root = Json.tree(schema1, "schema-1 manifest");
    if (root.path("schemaVersion").asInt() != 1) {
      throw new InvalidDescriptorException(
          "not a schema-1 manifest: schemaVersion is "
              + root.path("schemaVersion").asText("missing"));
    }
    JsonNode fsLayers = root.path("fsLayers");
    JsonNode history = root.path("history");
    if (!fsLayers.isArray()
        || !history.isArray()
        || fsLayers.size() == 0
        || fsLayers.size() != history.size()) {
      throw new InvalidDescriptorException(
          "malformed schema-1 manifest: fsLayers and history must be non-empty"
              + " arrays of the same length (got "
              + fsLayers.size()
              + " and "
              + history.size()
              + ")");
    }
    List<Descriptor> manifestLayers = new ArrayList<>();
    ArrayNode diffIds = JsonNodeFactory.instance.arrayNode();
    ArrayNode configHistory = JsonNodeFactory.instance.arrayNode();
    for (int i = fsLayers.size() - 1; i >= 0; i--) {
      ObjectNode v1 = v1Compatibility(history.get(i), i);
      boolean throwaway = v1.path("throwaway").asBoolean(false);
      configHistory.add(historyEntry(v1, throwaway));
      if (throwaway) {
        continue;
      }
      String blobSum = fsLayers.get(i).path("blobSum").asText(null);
      if (blobSum == null) {
        throw new InvalidDescriptorException(
            "malformed schema-1 manifest: fsLayers[" + i + "] has no blobSum");
      }
      Descriptor described = layers.describe(Digest.parse(blobSum));
      Descriptor layer =
          Descriptor.of(MediaTypes.DOCKER_LAYER, described.digest(), described.size());
      diffIds.add(diffId(layers, layer).toString());
      manifestLayers.add(layer);
    }
    byte[] config = config(v1Compatibility(history.get(0), 0), diffIds, configHistory);
    Descriptor configDescriptor = Descriptor.of(MediaTypes.DOCKER_CONFIG, config);
    Manifest manifest =
        new Manifest(
            2, MediaTypes.DOCKER_MANIFEST, null, configDescriptor, manifestLayers, null, Map.of());
    byte[] manifestBytes = manifest.toJson();
    return new Converted(
        manifest,
        manifestBytes,
        Descriptor.of(MediaTypes.DOCKER_MANIFEST, manifestBytes),
        config,
        configDescriptor);
  }

  private static ObjectNode v1Compatibility(JsonNode entry, int index)
      throws InvalidDescriptorException {
    JsonNode text = entry.path("v1Compatibility");
    if (!text.isTextual()) {
      throw new InvalidDescriptorException(
          "malformed schema-1 manifest: history[" + index + "] has no v1Compatibility");
    }
    JsonNode parsed =
        Json.tree(
            text.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "schema-1 history[" + index + "].v1Compatibility");
    if (!(parsed instanceof ObjectNode object)) {
      throw new InvalidDescriptorException(
          "malformed schema-1 manifest: history["
              + index
              + "].v1Compatibility is not a JSON object");
    }
    return object;
  }

  private static ObjectNode historyEntry(ObjectNode v1, boolean throwaway) {
    ObjectNode entry = JsonNodeFactory.instance.objectNode();
    copyText(v1, entry, "created", "created");
    copyText(v1, entry, "author", "author");
    JsonNode cmd = v1.path("container_config").path("Cmd");
    if (cmd.isArray() && cmd.size() > 0) {
      List<String> parts = new ArrayList<>();
      cmd.forEach(part -> parts.add(part.asText()));
      entry.put("created_by", String.join(" ", parts));
    }
    copyText(v1, entry, "comment", "comment");
    if (throwaway) {
      entry.put("empty_layer", true);
    }
    return entry;
  }

  private static void copyText(ObjectNode from, ObjectNode to, String source, String target) {
    JsonNode value = from.get(source);
    if (value != null && value.isTextual() && !value.asText().isEmpty()) {
      to.put(target, value.asText());
    }
  }

  private static byte[] config(ObjectNode newest, ArrayNode diffIds, ArrayNode history) {
    TreeMap<String, JsonNode> fields = new TreeMap<>();
    for (Map.Entry<String, JsonNode> field : newest.properties()) {
      if (!V1_ONLY_FIELDS.contains(field.getKey())) {
        fields.put(field.getKey(), field.getValue());
      }
    }
    ObjectNode rootfs = JsonNodeFactory.instance.objectNode();
    rootfs.put("type", "layers");
    rootfs.set("diff_ids", diffIds);
    fields.put("rootfs", rootfs);
    fields.put("history", history);
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    fields.forEach(config::set);
    return Json.write(config);
  }

  private static Digest diffId(LayerSource layers, Descriptor layer) throws IOException {
    Digester digester = Digester.sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream raw = layers.open(layer);
        VerifyingInputStream verified = new VerifyingInputStream(raw, layer)) {
      try {
        GZIPInputStream gunzip = new GZIPInputStream(verified, 64 * 1024);
        int n;
        while ((n = gunzip.read(buffer)) >= 0) {
          digester.update(buffer, 0, n);
        }
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        // A corrupt blob usually breaks gzip first: report the digest mismatch when that is the
        // cause.
        verified.verifyRemaining();
        throw new UnsupportedContentException(
            layer.digest()
                + ": layer is not valid gzip ("
                + e.getMessage()
                + "); schema-1 layers must be gzip-compressed tars",
            e);
      }
      verified.verifyRemaining();
    }
    return digester.digest();
  }
}
