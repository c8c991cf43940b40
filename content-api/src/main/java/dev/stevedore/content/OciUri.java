package dev.stevedore.content;

import java.util.Objects;

/**
 * The {@code oci://} URI form of a reference that Helm, Flux, ksail and NVIDIA AICR accept ({@code
 * oci://registry/repository:tag}): adding and removing the scheme the way those tools do.
 */
public final class OciUri {
  /** The scheme, with its separator. */
  public static final String SCHEME = "oci://";

  private OciUri() {}

  /**
   * Tells whether a value carries the {@code oci://} scheme.
   *
   * @param value the value
   * @return true when it starts with {@value #SCHEME}
   */
  public static boolean hasScheme(String value) {
    return Objects.requireNonNull(value, "value").startsWith(SCHEME);
  }

  /**
   * Adds {@code oci://} when missing. A value that already carries another scheme ({@code
   * https://...}) is returned unchanged, so a URL given by mistake never becomes {@code
   * oci://https://...}.
   *
   * @param value {@code registry/repository[:tag]} or a URI
   * @return the value with the {@code oci://} scheme, or unchanged
   */
  public static String ensureScheme(String value) {
    if (hasScheme(value) || value.contains("://")) {
      return value;
    }
    return SCHEME + value;
  }

  /**
   * Removes a leading {@code oci://}, giving the {@code registry/repository[:tag]} form other tools
   * (cosign, docker) take.
   *
   * @param value the value
   * @return the value without the scheme
   */
  public static String trimScheme(String value) {
    return hasScheme(value) ? value.substring(SCHEME.length()) : value;
  }
}
