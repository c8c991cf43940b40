package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link OciLayoutStore#gc()} removed, what it kept because it could not tell whether
 * something needs it, and what index.json reaches but the layout does not hold.
 *
 * @param removedBlobs the blobs deleted, in digest order
 * @param removedBytes their total size in bytes
 * @param removedTempFiles abandoned temporary files deleted (left by pushes of processes that died)
 * @param kept blobs nothing reachable names that were kept anyway, because they could not be read
 *     or understood (a JSON document over the metadata limit, an unreadable file, broken JSON):
 *     each might be a referrer of something kept. Digest to the reason, in digest order. Check
 *     them, then {@link OciLayoutStore#delete} them or raise the limit and collect again.
 * @param missing manifests, indexes and blobs that index.json reaches but the layout does not hold
 *     (a sparse layout, as a copy of one platform of an index leaves it), in walk order
 */
public record GcResult(
    List<Digest> removedBlobs,
    long removedBytes,
    int removedTempFiles,
    Map<Digest, String> kept,
    List<Descriptor> missing) {
  /** Copies the collections. */
  public GcResult {
    removedBlobs = List.copyOf(removedBlobs);
    kept = java.util.Collections.unmodifiableMap(new TreeMap<>(kept));
    missing = List.copyOf(missing);
  }

  @Override
  public String toString() {
    return "removed "
        + removedBlobs.size()
        + " blobs ("
        + removedBytes
        + " bytes) and "
        + removedTempFiles
        + " temporary files"
        + (kept.isEmpty() ? "" : "; kept " + kept.size() + " blobs it could not read: " + kept)
        + (missing.isEmpty()
            ? ""
            : "; "
                + missing.size()
                + " reachable blobs are missing: "
                + missing.stream().map(d -> d.digest().toString()).toList());
  }
}
