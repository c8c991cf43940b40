package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Copy#fetchBytes} returns: the descriptor a reference resolved to, and its content.
 *
 * @param descriptor the descriptor
 * @param content the verified content
 */
// The array is cloned on the way in and out, and equals/hashCode/toString are written for it.
@SuppressWarnings("ArrayRecordComponent")
public record FetchedBytes(Descriptor descriptor, byte[] content) {
  /** Validates and copies the content. */
  public FetchedBytes {
    Objects.requireNonNull(descriptor, "descriptor");
    content = content.clone();
  }

  /**
   * The content, a copy.
   *
   * @return the bytes
   */
  @Override
  public byte[] content() {
    return content.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FetchedBytes f
        && descriptor.equals(f.descriptor)
        && Arrays.equals(content, f.content);
  }

  @Override
  public int hashCode() {
    return 31 * descriptor.hashCode() + Arrays.hashCode(content);
  }

  @Override
  public String toString() {
    return "FetchedBytes[" + descriptor + "]";
  }
}
