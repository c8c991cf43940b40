package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import java.io.IOException;
import java.util.List;

/**
 * Names the repositories a blob may be mounted from when the destination is a {@link
 * dev.stevedore.content.Mounter}, as oras-go's {@code MountFrom}. Called from worker threads; must
 * be thread-safe.
 */
@FunctionalInterface
public interface MountSources {
  /**
   * The candidate repositories, tried in order.
   *
   * @param blob the blob about to be copied
   * @return repository names on the destination's registry, possibly empty (then the blob is
   *     copied)
   * @throws IOException to fail the copy
   */
  List<String> candidates(Descriptor blob) throws IOException;
}
