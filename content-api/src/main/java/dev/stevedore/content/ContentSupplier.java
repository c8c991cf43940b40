package dev.stevedore.content;

import java.io.IOException;
import java.io.InputStream;

/** Opens a stream of content on demand (for a mount that falls back to an upload). */
@FunctionalInterface
public interface ContentSupplier {
  /**
   * Opens the content.
   *
   * @return a fresh stream, which the caller closes
   * @throws IOException if it cannot be opened
   */
  InputStream open() throws IOException;
}
