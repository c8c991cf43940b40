package dev.stevedore.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The platform an image runs on, as in the OCI image-spec ({@code architecture}, {@code os}, {@code
 * os.version}, {@code os.features}, {@code variant}).
 *
 * @param architecture the CPU architecture, e.g. {@code amd64}, {@code arm64}
 * @param os the operating system, e.g. {@code linux}
 * @param osVersion the OS version, or null
 * @param osFeatures required OS features, possibly empty
 * @param variant the CPU variant, e.g. {@code v8}, or null
 */
@JsonPropertyOrder({"architecture", "os", "os.version", "os.features", "variant"})
public record Platform(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Nullable String osVersion,
    @JsonProperty("os.features") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<String> osFeatures,
    @JsonProperty("variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String variant) {

  /** Normalizes absent values: null strings stay null when empty, null lists become empty. */
  public Platform {
    architecture = architecture == null ? "" : architecture;
    os = os == null ? "" : os;
    osVersion = osVersion == null || osVersion.isEmpty() ? null : osVersion;
    osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
    variant = variant == null || variant.isEmpty() ? null : variant;
  }

  /**
   * A platform of an OS and an architecture.
   *
   * @param os the OS, e.g. {@code linux}
   * @param architecture the architecture, e.g. {@code amd64}
   * @return the platform
   */
  public static Platform of(String os, String architecture) {
    return new Platform(architecture, os, null, List.of(), null);
  }

  /**
   * Parses {@code os/arch[/variant]}, as {@code docker --platform} and {@code oras --platform} take
   * it.
   *
   * @param value e.g. {@code linux/arm64/v8}
   * @return the platform
   * @throws IllegalArgumentException if the value does not have two or three non-empty parts
   */
  public static Platform parse(String value) {
    Objects.requireNonNull(value, "value");
    String[] parts = value.split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException(
          "invalid platform \"" + value + "\": expected os/arch[/variant], e.g. linux/amd64");
    }
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid platform \"" + value + "\": empty part; expected os/arch[/variant]");
      }
    }
    return new Platform(parts[1], parts[0], null, List.of(), parts.length == 3 ? parts[2] : null);
  }

  /**
   * Tells whether this platform satisfies a requested one: architecture and OS are equal, and OS
   * version, variant and OS features match where the request sets them (the request's features must
   * all be present here).
   *
   * @param requested the platform asked for
   * @return true when this platform is acceptable for the request
   */
  public boolean matches(Platform requested) {
    if (!architecture.equals(requested.architecture) || !os.equals(requested.os)) {
      return false;
    }
    if (requested.osVersion != null && !requested.osVersion.equals(osVersion)) {
      return false;
    }
    if (requested.variant != null && !requested.variant.equals(variant)) {
      return false;
    }
    return osFeatures.containsAll(requested.osFeatures);
  }

  /** Returns {@code os/arch[/variant]}. */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
