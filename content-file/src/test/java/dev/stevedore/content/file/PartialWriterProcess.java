package dev.stevedore.content.file;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of {@link FileStoreAbandonedPartialsTest}: a pull that is stuck in the middle
 * of writing a file. {@code <dir> <name>}: pushes a 1 MiB file titled {@code name} into a file
 * store on {@code dir} from a stream that, after its first 64 KiB, prints "writing" and then never
 * ends; the test kills it, or lets it hold its partial file.
 */
public final class PartialWriterProcess {
  private PartialWriterProcess() {}

  /**
   * Runs the stuck pull.
   *
   * @param args the working directory and the file's name
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    byte[] content = new byte[1 << 20];
    Descriptor desc =
        Descriptor.of("application/octet-stream", content)
            .withAnnotations(Map.of(Annotations.TITLE, args[1]));
    try (FileStore store = FileStore.open(Path.of(args[0]))) {
      store.push(
          desc,
          new InputStream() {
            private int position;

            @Override
            public int read() {
              byte[] one = new byte[1];
              return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
              if (position >= 64 * 1024) {
                System.out.println("writing");
                System.out.flush();
                try {
                  Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return -1;
                }
              }
              int n = Math.min(len, 64 * 1024 - position);
              java.util.Arrays.fill(b, off, off + n, (byte) 0);
              position += n;
              return n;
            }
          });
    }
  }
}
