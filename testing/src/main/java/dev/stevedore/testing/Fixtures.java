package dev.stevedore.testing;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Index;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import dev.stevedore.content.Pusher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/** Content for tests: random blobs, manifests and indexes, pushed to any {@link Pusher}. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * Deterministic pseudo-random bytes.
   *
   * @param size how many
   * @param seed the seed
   * @return the bytes
   */
  public static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /**
   * UTF-8 bytes of a string.
   *
   * @param text the text
   * @return the bytes
   */
  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Pushes bytes; content already present is fine.
   *
   * @param pusher where
   * @param desc the descriptor of {@code bytes}
   * @param bytes the content
   * @return {@code desc}
   * @throws IOException if the push fails
   */
  public static Descriptor push(Pusher pusher, Descriptor desc, byte[] bytes) throws IOException {
    try {
      pusher.push(desc, new ByteArrayInputStream(bytes));
    } catch (AlreadyExistsException e) {
      // already there
    }
    return desc;
  }

  /**
   * Pushes a blob with a media type.
   *
   * @param pusher where
   * @param mediaType the media type
   * @param bytes the content
   * @return its descriptor
   * @throws IOException if the push fails
   */
  public static Descriptor pushBlob(Pusher pusher, String mediaType, byte[] bytes)
      throws IOException {
    return push(pusher, Descriptor.of(mediaType, bytes), bytes);
  }

  /**
   * Pushes an OCI image config for a platform.
   *
   * @param pusher where
   * @param platform the platform it declares
   * @return its descriptor
   * @throws IOException if the push fails
   */
  public static Descriptor pushConfig(Pusher pusher, Platform platform) throws IOException {
    String json =
        "{\"architecture\":\""
            + platform.architecture()
            + "\",\"os\":\""
            + platform.os()
            + "\""
            + (platform.variant() == null ? "" : ",\"variant\":\"" + platform.variant() + "\"")
            + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
    return pushBlob(pusher, MediaTypes.OCI_CONFIG, utf8(json));
  }

  /**
   * Builds and pushes an OCI image manifest (children must be pushed first by the caller).
   *
   * @param pusher where
   * @param artifactType the artifact type, or null
   * @param config the config
   * @param layers the layers
   * @param subject the subject, or null
   * @param annotations the annotations
   * @return the manifest's descriptor
   * @throws IOException if the push fails
   */
  public static Descriptor pushManifest(
      Pusher pusher,
      @Nullable String artifactType,
      Descriptor config,
      List<Descriptor> layers,
      @Nullable Descriptor subject,
      Map<String, String> annotations)
      throws IOException {
    Manifest manifest =
        new Manifest(
            2, MediaTypes.OCI_MANIFEST, artifactType, config, layers, subject, annotations);
    byte[] json = manifest.toJson();
    Descriptor desc = Descriptor.of(MediaTypes.OCI_MANIFEST, json).withArtifactType(artifactType);
    return push(pusher, desc, json);
  }

  /**
   * Builds and pushes an image manifest with the given layers and an empty config.
   *
   * @param pusher where
   * @param layers the layers (already pushed)
   * @return the manifest's descriptor
   * @throws IOException if the push fails
   */
  public static Descriptor pushImage(Pusher pusher, List<Descriptor> layers) throws IOException {
    Descriptor config = push(pusher, MediaTypes.EMPTY_JSON, MediaTypes.emptyJsonBytes());
    return pushManifest(pusher, "application/vnd.stevedore.test", config, layers, null, Map.of());
  }

  /**
   * Pushes an artifact that refers to {@code subject}: an empty config, one small layer.
   *
   * @param pusher where
   * @param subject the subject (must already be in the store)
   * @param artifactType the artifact type
   * @param payload the layer's bytes
   * @return the referrer's descriptor
   * @throws IOException if the push fails
   */
  public static Descriptor pushReferrer(
      Pusher pusher, Descriptor subject, String artifactType, byte[] payload) throws IOException {
    Descriptor config = push(pusher, MediaTypes.EMPTY_JSON, MediaTypes.emptyJsonBytes());
    Descriptor layer = pushBlob(pusher, "application/vnd.stevedore.test.payload", payload);
    return pushManifest(pusher, artifactType, config, List.of(layer), subject.plain(), Map.of());
  }

  /**
   * Builds and pushes an OCI index.
   *
   * @param pusher where
   * @param manifests the manifests (already pushed), with platforms if wanted
   * @return the index's descriptor
   * @throws IOException if the push fails
   */
  public static Descriptor pushIndex(Pusher pusher, List<Descriptor> manifests) throws IOException {
    byte[] json = Index.of(manifests).toJson();
    return push(pusher, Descriptor.of(MediaTypes.OCI_INDEX, json), json);
  }
}
