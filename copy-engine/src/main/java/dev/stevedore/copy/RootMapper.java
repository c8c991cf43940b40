package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ReadOnlyStorage;
import java.io.IOException;

/**
 * Maps the root a reference resolved to onto the root actually copied, as oras-go's {@code MapRoot}
 * (platform selection is one).
 */
@FunctionalInterface
public interface RootMapper {
  /**
   * Maps a root.
   *
   * @param source the source, reading through the copy's metadata cache
   * @param root the resolved root
   * @return the root to copy
   * @throws IOException if the mapping fails ({@link dev.stevedore.content.NotFoundException} when
   *     nothing matches)
   */
  Descriptor map(ReadOnlyStorage source, Descriptor root) throws IOException;
}
