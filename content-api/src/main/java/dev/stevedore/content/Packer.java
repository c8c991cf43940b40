package dev.stevedore.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Packs and pushes manifests with oras-go's rules ({@code oras.PackManifest}), so that the same
 * inputs with a fixed {@code org.opencontainers.image.created} annotation give byte-identical
 * manifests.
 */
public final class Packer {
  /**
   * RFC 6838 section 4.2 {@code type "/" subtype}, each a restricted-name: a letter or digit, then
   * at most 126 of {@code ALPHA DIGIT ! # $ & - ^ _ . +}. (oras-go writes the class as {@code &-^},
   * a range that also lets {@code / : ; < = > ? @ [ \ ]} and more through; here the hyphen is last,
   * so it is a hyphen.)
   */
  private static final String RESTRICTED_NAME = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";

  private static final Pattern MEDIA_TYPE =
      Pattern.compile(RESTRICTED_NAME + "/" + RESTRICTED_NAME);
  private static final Pattern RFC3339 =
      Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$");
  private static final DateTimeFormatter SECONDS_UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

  private Packer() {}

  /**
   * Packs a manifest and pushes it (with the config and empty layer it needs) to {@code pusher}.
   *
   * <p>Version 1.1 requires an artifact type unless a config descriptor (other than the empty one)
   * is given; it uses the empty config and, when no layers are given, one empty layer. Version 1.0
   * uses the artifact type (or {@code application/vnd.unknown.config.v1+json}) as the media type of
   * an empty {@code {}} config and refuses a subject. The created annotation is set to now unless
   * given; a given one must be RFC 3339.
   *
   * @param pusher where to push; when it is also a {@link ReadOnlyStorage}, blobs it has are not
   *     pushed again
   * @param version the image-spec version to follow
   * @param artifactType the artifact type, or null
   * @param options subject, layers, annotations, config
   * @return the pushed manifest's descriptor, with its artifact type and annotations
   * @throws MissingArtifactTypeException if version 1.1 has neither an artifact type nor a config
   * @throws InvalidMediaTypeException if the artifact type or the config media type is not an RFC
   *     6838 media type
   * @throws InvalidDateTimeException if the created annotation is not RFC 3339
   * @throws UnsupportedContentException if a subject is given for version 1.0
   * @throws IOException if a push fails
   */
  public static Descriptor packManifest(
      Pusher pusher,
      PackManifestVersion version,
      @Nullable String artifactType,
      PackManifestOptions options)
      throws IOException {
    Objects.requireNonNull(pusher, "pusher");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(options, "options");
    String type = artifactType == null || artifactType.isEmpty() ? null : artifactType;
    return switch (version) {
      case V1_0 -> packV10(pusher, type, options);
      case V1_1 -> packV11(pusher, type, options);
    };
  }

  /**
   * Tells whether a string is an RFC 6838 media type name, {@code type/subtype} without parameters.
   *
   * @param mediaType the candidate
   * @return true when valid
   */
  public static boolean isValidMediaType(@Nullable String mediaType) {
    return mediaType != null && MEDIA_TYPE.matcher(mediaType).matches();
  }

  private static Descriptor packV10(
      Pusher pusher, @Nullable String artifactType, PackManifestOptions options)
      throws IOException {
    if (options.subject() != null) {
      throw new UnsupportedContentException(
          "subject is not supported for manifest version 1.0; use 1.1");
    }
    Descriptor config;
    if (options.config() != null) {
      requireMediaType(options.config().mediaType(), "config media type");
      config = options.config();
    } else {
      String configType = artifactType == null ? MediaTypes.UNKNOWN_CONFIG : artifactType;
      requireMediaType(configType, "artifact type");
      byte[] bytes = MediaTypes.emptyJsonBytes();
      config = Descriptor.of(configType, bytes).withAnnotations(options.configAnnotations());
      pushIfMissing(pusher, config, bytes);
    }
    Map<String, String> annotations = ensureCreated(options.manifestAnnotations());
    Manifest manifest =
        new Manifest(2, MediaTypes.OCI_MANIFEST, null, config, options.layers(), null, annotations);
    return push(pusher, manifest, config.mediaType());
  }

  private static Descriptor packV11(
      Pusher pusher, @Nullable String artifactType, PackManifestOptions options)
      throws IOException {
    if (artifactType == null
        && (options.config() == null
            || MediaTypes.OCI_EMPTY.equals(options.config().mediaType()))) {
      throw new MissingArtifactTypeException(
          "artifact type is required for manifest version 1.1 when the config is empty; pass an artifact type");
    }
    if (artifactType != null) {
      requireMediaType(artifactType, "artifact type");
    }
    boolean emptyPushed = false;
    Descriptor config;
    if (options.config() != null) {
      requireMediaType(options.config().mediaType(), "config media type");
      config = options.config();
    } else {
      config = MediaTypes.EMPTY_JSON.withAnnotations(options.configAnnotations());
      pushIfMissing(pusher, config, MediaTypes.emptyJsonBytes());
      emptyPushed = true;
    }
    List<Descriptor> layers = options.layers();
    if (layers.isEmpty()) {
      if (!emptyPushed) {
        pushIfMissing(pusher, MediaTypes.EMPTY_JSON, MediaTypes.emptyJsonBytes());
      }
      layers = List.of(MediaTypes.EMPTY_JSON);
    }
    Map<String, String> annotations = ensureCreated(options.manifestAnnotations());
    Manifest manifest =
        new Manifest(
            2,
            MediaTypes.OCI_MANIFEST,
            artifactType,
            config,
            layers,
            options.subject(),
            annotations);
    return push(pusher, manifest, artifactType);
  }

  private static Descriptor push(
      Pusher pusher, Manifest manifest, @Nullable String descriptorArtifactType)
      throws IOException {
    byte[] json = manifest.toJson();
    Descriptor desc =
        new Descriptor(
            MediaTypes.OCI_MANIFEST,
            Digest.sha256(json),
            json.length,
            List.of(),
            manifest.annotations(),
            null,
            null,
            descriptorArtifactType);
    try {
      pusher.push(desc, new ByteArrayInputStream(json));
    } catch (AlreadyExistsException e) {
      // the same manifest is already there: packing is idempotent
    }
    return desc;
  }

  private static void pushIfMissing(Pusher pusher, Descriptor desc, byte[] bytes)
      throws IOException {
    if (pusher instanceof ReadOnlyStorage storage && storage.exists(desc)) {
      return;
    }
    try {
      pusher.push(desc, new ByteArrayInputStream(bytes));
    } catch (AlreadyExistsException e) {
      // pushed concurrently or by an earlier pack: fine
    }
  }

  private static Map<String, String> ensureCreated(Map<String, String> annotations)
      throws InvalidDateTimeException {
    String created = annotations.get(Annotations.CREATED);
    if (created != null) {
      if (!isRfc3339(created)) {
        throw new InvalidDateTimeException(
            "invalid "
                + Annotations.CREATED
                + " \""
                + created
                + "\": expected an RFC 3339 date-time such as 2024-01-02T03:04:05Z",
            created);
      }
      return annotations;
    }
    Map<String, String> copy = new HashMap<>(annotations);
    copy.put(
        Annotations.CREATED,
        OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(SECONDS_UTC));
    return copy;
  }

  static boolean isRfc3339(String value) {
    if (!RFC3339.matcher(value).matches()) {
      return false;
    }
    try {
      OffsetDateTime.parse(value);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static void requireMediaType(String mediaType, String what)
      throws InvalidMediaTypeException {
    if (!isValidMediaType(mediaType)) {
      throw new InvalidMediaTypeException(
          "invalid "
              + what
              + " \""
              + mediaType
              + "\": expected an RFC 6838 media type such as application/vnd.example.thing.v1+json",
          mediaType);
    }
  }
}
