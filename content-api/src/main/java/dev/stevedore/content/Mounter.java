package dev.stevedore.content;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Mounts a blob from another repository of the same registry. An optional capability. */
public interface Mounter {
  /**
   * Makes {@code desc} available in this repository by mounting it from {@code fromRepository},
   * without transferring its bytes. When the registry declines the mount and {@code content} is
   * given, the blob is uploaded from it instead.
   *
   * @param desc the blob
   * @param fromRepository the repository that has it
   * @param content opens the blob for the fallback upload, or null to fail instead
   * @throws IOException if neither mount nor fallback succeed
   */
  void mount(Descriptor desc, String fromRepository, @Nullable ContentSupplier content)
      throws IOException;
}
