package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import dev.stevedore.content.Pusher;
import dev.stevedore.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Graph shapes for copy tests, pushed into a source store. */
final class Graphs {
  private Graphs() {}

  static final Platform AMD64 = Platform.of("linux", "amd64");
  static final Platform ARM64 = Platform.of("linux", "arm64");
  static final Platform S390X = Platform.of("linux", "s390x");

  static Descriptor blob(Pusher store, String text) throws IOException {
    return Fixtures.pushBlob(store, MediaTypes.OCI_LAYER, Fixtures.utf8(text));
  }

  /** An image manifest with an empty config and {@code layers} distinct layers. */
  static Descriptor image(Pusher store, String name, int layers) throws IOException {
    List<Descriptor> list = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      list.add(blob(store, name + "-layer-" + i));
    }
    return Fixtures.pushImage(store, list);
  }

  /**
   * A multi-platform index: per platform a config and a layer of its own, and one shared base
   * layer.
   */
  static MultiPlatform multiPlatform(Pusher store) throws IOException {
    Descriptor base = blob(store, "shared base layer");
    List<Descriptor> manifests = new ArrayList<>();
    for (Platform platform : List.of(AMD64, ARM64, S390X)) {
      Descriptor config = Fixtures.pushConfig(store, platform);
      Descriptor own = blob(store, "layer for " + platform);
      Descriptor manifest =
          Fixtures.pushManifest(store, null, config, List.of(base, own), null, Map.of());
      manifests.add(manifest.withPlatform(platform));
    }
    Descriptor index = Fixtures.pushIndex(store, manifests);
    return new MultiPlatform(index, manifests, base);
  }

  record MultiPlatform(Descriptor index, List<Descriptor> manifests, Descriptor base) {}

  /** A chain of {@code depth} nested indexes over an image. */
  static Descriptor chain(Pusher store, int depth) throws IOException {
    Descriptor node = image(store, "chain-bottom", 2);
    for (int i = 0; i < depth; i++) {
      node = Fixtures.pushIndex(store, List.of(node));
    }
    return node;
  }
}
