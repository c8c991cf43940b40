package dev.stevedore.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * An optional capability: a store that takes content whose size and digest are not known in advance
 * in one pass, hashing it on the way, without spooling it anywhere (a registry's chunked upload
 * session, whose final request carries the digest). Use {@link Pushers#pushStream(Pusher, String,
 * InputStream)}, which falls back to spooling for stores without it.
 */
public interface StreamPusher {
  /**
   * Stores content of unknown size and digest and describes it.
   *
   * @param mediaType the media type of the descriptor returned
   * @param content the content, read to its end (not closed)
   * @return the descriptor of what was stored
   * @throws IOException if reading or storing fails; nothing is committed then
   */
  Descriptor pushStream(String mediaType, InputStream content) throws IOException;
}
