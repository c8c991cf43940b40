package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import java.io.IOException;

/**
 * Called before a node is copied (after its children are in), as oras-go's {@code PreCopy}. May
 * tell the engine to skip the node. Called from worker threads, possibly concurrently; must be
 * thread-safe. An exception it throws fails the copy and reaches the caller unchanged.
 */
@FunctionalInterface
public interface PreCopyHandler {
  /**
   * Decides about a node.
   *
   * @param node the node about to be copied
   * @return {@link PreCopyDecision#COPY} to copy it, {@link PreCopyDecision#SKIP} to treat it as
   *     present
   * @throws IOException to fail the copy
   */
  PreCopyDecision beforeCopy(Descriptor node) throws IOException;
}
