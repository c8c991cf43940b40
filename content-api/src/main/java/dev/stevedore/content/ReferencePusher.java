package dev.stevedore.content;

import java.io.IOException;
import java.io.InputStream;

/** Pushes a manifest and tags it in one round trip (e.g. PUT a manifest by tag). */
@FunctionalInterface
public interface ReferencePusher {
  /**
   * Pushes content and tags it.
   *
   * @param expected the descriptor the content must match
   * @param content the content
   * @param reference the tag
   * @throws IOException if the push fails
   */
  void pushReference(Descriptor expected, InputStream content, String reference) throws IOException;
}
