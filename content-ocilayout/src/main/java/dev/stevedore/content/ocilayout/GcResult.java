package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Digest;
import java.util.List;

/**
 * What {@link OciLayoutStore#gc()} removed.
 *
 * @param removedBlobs the blobs deleted, in digest order
 * @param removedBytes their total size in bytes
 * @param removedTempFiles abandoned temporary files deleted (left by pushes of processes that died)
 */
public record GcResult(List<Digest> removedBlobs, long removedBytes, int removedTempFiles) {
  /** Copies the list. */
  public GcResult {
    removedBlobs = List.copyOf(removedBlobs);
  }

  @Override
  public String toString() {
    return "removed " + removedBlobs.size() + " blobs (" + removedBytes + " bytes) and " + removedTempFiles
        + " temporary files";
  }
}
