package dev.stevedore.content.remote;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Pushers;
import dev.stevedore.testing.GeneratedContent;
import java.io.InputStream;

/**
 * The child JVM of {@link StreamPushTest}: pushes a generated stream of unknown size and digest
 * into a registry with {@link Pushers#pushStream}, and prints the descriptor it got.
 */
public final class StreamPushMain {
  private StreamPushMain() {}

  /**
   * Runs the push.
   *
   * @param args the registry {@code host:port}, the size in bytes, the seed
   * @throws Exception on failure (the exit code is then non-zero)
   */
  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[1]);
    long seed = Long.parseLong(args[2]);
    try (Repository repo =
            Repository.builder().registry(args[0]).name("stream/push").plainHttp().build();
        InputStream in = GeneratedContent.stream(size, seed)) {
      Descriptor desc = Pushers.pushStream(repo, MediaTypes.OCTET_STREAM, in);
      System.out.println(
          "OK digest="
              + desc.digest()
              + " size="
              + desc.size()
              + " maxHeap="
              + Runtime.getRuntime().maxMemory());
    }
  }
}
