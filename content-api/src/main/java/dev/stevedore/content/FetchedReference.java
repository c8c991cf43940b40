package dev.stevedore.content;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * What a {@link ReferenceFetcher} returns: the descriptor a reference resolved to, and its content.
 * Close it to release the content stream.
 *
 * @param descriptor the resolved descriptor
 * @param content the content, verified against the descriptor
 */
public record FetchedReference(Descriptor descriptor, InputStream content) implements Closeable {
  /** Validates the parts. */
  public FetchedReference {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(content, "content");
  }

  @Override
  public void close() throws IOException {
    content.close();
  }
}
