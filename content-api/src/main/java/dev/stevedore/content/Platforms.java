package dev.stevedore.content;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.content.internal.Json;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/** Platform selection out of multi-platform content. */
public final class Platforms {
  private Platforms() {}

  /**
   * Selects the manifest for a platform, as oras-go's {@code platform.SelectManifest}: from an
   * index (OCI or Docker), the first manifest whose platform matches; for a manifest, the manifest
   * itself when its config's platform matches.
   *
   * @param fetcher where to fetch the root (and, for a manifest, its config)
   * @param root an index or a manifest
   * @param requested the platform wanted
   * @param maxBytes the metadata limit for what is fetched
   * @return the matching manifest's descriptor
   * @throws NotFoundException if nothing matches
   * @throws UnsupportedContentException if the root is neither an index nor a manifest
   * @throws IOException if fetching fails
   */
  public static Descriptor select(
      Fetcher fetcher, Descriptor root, Platform requested, long maxBytes) throws IOException {
    Objects.requireNonNull(requested, "requested");
    switch (root.mediaType()) {
      case MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST -> {
        Index index = Index.parse(Contents.fetchAll(fetcher, root, maxBytes));
        return select(index, requested)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        root.digest()
                            + ": no manifest for platform "
                            + requested
                            + " in "
                            + root.mediaType()
                            + "; available: "
                            + index.manifests().stream()
                                .map(d -> String.valueOf(d.platform()))
                                .toList()));
      }
      case MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST -> {
        Manifest manifest = Manifest.parse(Contents.fetchAll(fetcher, root, maxBytes));
        Descriptor config = manifest.config();
        if (!MediaTypes.OCI_CONFIG.equals(config.mediaType())
            && !MediaTypes.DOCKER_CONFIG.equals(config.mediaType())) {
          throw new NotFoundException(
              root.digest()
                  + ": config media type "
                  + config.mediaType()
                  + " carries no platform; cannot match "
                  + requested);
        }
        Platform actual = configPlatform(Contents.fetchAll(fetcher, config, maxBytes), config);
        if (!actual.matches(requested)) {
          throw new NotFoundException(
              root.digest() + ": manifest is for " + actual + ", not " + requested);
        }
        return root;
      }
      default ->
          throw new UnsupportedContentException(
              root.digest()
                  + ": cannot select a platform from "
                  + root.mediaType()
                  + "; expected an index or a manifest");
    }
  }

  /**
   * The first manifest of an index whose platform matches.
   *
   * @param index the index
   * @param requested the platform wanted
   * @return the descriptor, or empty
   */
  public static Optional<Descriptor> select(Index index, Platform requested) {
    return index.manifests().stream()
        .filter(d -> d.platform() != null && d.platform().matches(requested))
        .findFirst();
  }

  private static Platform configPlatform(byte[] config, Descriptor desc)
      throws InvalidDescriptorException {
    JsonNode node = Json.tree(config, "config " + desc.digest());
    try {
      return Json.mapper().treeToValue(node, Platform.class);
    } catch (IOException e) {
      throw new InvalidDescriptorException(
          "malformed config " + desc.digest() + ": " + e.getMessage(), e);
    }
  }
}
