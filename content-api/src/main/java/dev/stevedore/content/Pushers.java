package dev.stevedore.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Pushing content whose size and digest are not known in advance (standard input, a pipe, a
 * generated stream), the case {@link Pusher#push} cannot take since it verifies against an expected
 * descriptor.
 */
public final class Pushers {
  private Pushers() {}

  /**
   * Pushes a stream of unknown size and digest and returns its descriptor. A store that is a {@link
   * StreamPusher} (a remote repository) takes it in one pass, hashing on the way: nothing is
   * spooled and memory stays bounded. Any other store gets it spooled to a temporary file in the
   * system's temporary directory, then pushed once with its digest.
   *
   * @param target where to push
   * @param mediaType the media type of the descriptor
   * @param content the content, read to its end (not closed)
   * @return the descriptor of the content
   * @throws IOException if reading, spooling or pushing fails
   */
  public static Descriptor pushStream(Pusher target, String mediaType, InputStream content)
      throws IOException {
    return pushStream(target, mediaType, content, null);
  }

  /**
   * As {@link #pushStream(Pusher, String, InputStream)}, spooling (for a store that is not a {@link
   * StreamPusher}) into a directory of the caller's choice: the store's own directory, so the spool
   * file is on the same file system and the store's limits apply.
   *
   * @param target where to push
   * @param mediaType the media type of the descriptor
   * @param content the content, read to its end (not closed)
   * @param spoolDirectory where the temporary file goes, or null for the system's temporary
   *     directory
   * @return the descriptor of the content
   * @throws IOException if reading, spooling or pushing fails; the spool file is removed in every
   *     case
   */
  public static Descriptor pushStream(
      Pusher target, String mediaType, InputStream content, @Nullable Path spoolDirectory)
      throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(content, "content");
    if (target instanceof StreamPusher streaming) {
      return streaming.pushStream(mediaType, content);
    }
    Path spool =
        spoolDirectory == null
            ? Files.createTempFile(".stevedore-spool-", ".tmp")
            : Files.createTempFile(spoolDirectory, ".stevedore-spool-", ".tmp");
    try {
      Digester digester = Digester.sha256();
      long size = 0;
      byte[] buffer = new byte[64 * 1024];
      try (OutputStream out = Files.newOutputStream(spool)) {
        for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
          digester.update(buffer, 0, n);
          out.write(buffer, 0, n);
          size += n;
        }
      }
      Descriptor desc = Descriptor.of(mediaType, digester.digest(), size);
      try (InputStream in = Files.newInputStream(spool)) {
        target.push(desc, in);
      } catch (AlreadyExistsException e) {
        // the store has it already: the descriptor stands
      }
      return desc;
    } finally {
      Files.deleteIfExists(spool);
    }
  }
}
