package dev.stevedore.content;

import java.io.IOException;
import java.io.InputStream;

/** Pushes content. */
@FunctionalInterface
public interface Pusher {
  /**
   * Stores content. The store verifies that the content matches {@code expected} (size, then
   * digest) before it becomes visible; on any failure nothing is stored. The stream is read to its
   * end but not closed: the caller owns it.
   *
   * @param expected the descriptor the content must match
   * @param content the content
   * @throws AlreadyExistsException if the store already has this content (stores that cannot tell,
   *     such as registries, succeed instead)
   * @throws DigestMismatchException if the content does not match {@code expected}
   * @throws IOException if writing fails
   */
  void push(Descriptor expected, InputStream content) throws IOException;
}
