package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Descriptor;
import java.util.List;

/**
 * What {@link OciLayoutStore#exportArchive(java.nio.file.Path)} wrote.
 *
 * @param blobs how many blobs the archive holds
 * @param missing content the exported index.json reaches but the layout does not hold, so the
 *     archive does not either (a sparse layout), in walk order; empty for a complete layout
 */
public record ExportResult(int blobs, List<Descriptor> missing) {
  /** Copies the list. */
  public ExportResult {
    missing = List.copyOf(missing);
  }

  /**
   * Whether the archive holds everything its index.json reaches.
   *
   * @return true when nothing is missing
   */
  public boolean complete() {
    return missing.isEmpty();
  }
}
