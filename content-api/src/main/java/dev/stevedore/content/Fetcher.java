package dev.stevedore.content;

import java.io.IOException;
import java.io.InputStream;

/** Fetches content by descriptor. */
@FunctionalInterface
public interface Fetcher {
  /**
   * Opens the content a descriptor names. The caller closes the stream.
   *
   * <p>The stream is verified against the descriptor's size and digest by whoever can: a store that
   * did not compute the digest itself wraps its stream in a {@link VerifyingInputStream}, so
   * reading to the end either yields exactly the described bytes or throws {@link
   * DigestMismatchException}.
   *
   * @param target the descriptor of the content
   * @return the content
   * @throws NotFoundException if the store does not have it
   * @throws IOException if reading fails
   */
  InputStream fetch(Descriptor target) throws IOException;
}
