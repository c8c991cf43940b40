package dev.stevedore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Fetcher;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Successors;
import dev.stevedore.copy.SuccessorLookup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * What {@code stevedore pull} copies, decided before anything is fetched, as {@code oras pull}
 * does: files (blobs with an {@code org.opencontainers.image.title}) and the manifests that lead to
 * them. A blob without a title (a container image's layers and config) has no file name, so it is
 * never downloaded: it is counted as skipped. The subject of a referrer is not followed (pulling a
 * signature does not pull the image it signs), and the empty JSON blob ({@code {}}) is ignored.
 *
 * <p>Thread-safe: the copy engine calls {@link #find} from its workers.
 */
final class PullSelection implements SuccessorLookup {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long maxMetadataBytes;
  private final Map<Digest, Descriptor> skipped = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<String> titles = new ConcurrentSkipListSet<>();

  PullSelection(long maxMetadataBytes) {
    this.maxMetadataBytes = maxMetadataBytes;
  }

  @Override
  public List<Descriptor> find(Fetcher fetcher, Descriptor node) throws IOException {
    if (!Successors.mayHaveSuccessors(node.mediaType())) {
      return List.of();
    }
    byte[] content = Contents.fetchAll(fetcher, node, maxMetadataBytes);
    String subject = subjectDigest(content);
    List<Descriptor> selected = new ArrayList<>();
    for (Descriptor successor : Successors.parse(node, content)) {
      String title = successor.annotation(Annotations.TITLE);
      if (title != null && !title.isEmpty()) {
        titles.add(title);
        selected.add(successor);
      } else if (successor.digest().toString().equals(subject)) {
        // the subject itself: neither selected nor reported as skipped
      } else if (Successors.mayHaveSuccessors(successor.mediaType())) {
        selected.add(successor);
      } else if (!isEmptyJson(successor)) {
        skipped.putIfAbsent(successor.digest(), successor);
      }
    }
    return selected;
  }

  private static String subjectDigest(byte[] content) {
    try {
      JsonNode digest = JSON.readTree(content).path("subject").path("digest");
      return digest.isTextual() ? digest.asText() : "";
    } catch (IOException e) {
      return ""; // Successors.parse reports the malformed content
    }
  }

  private static boolean isEmptyJson(Descriptor desc) {
    return MediaTypes.OCI_EMPTY.equals(desc.mediaType()) && desc.size() == 2;
  }

  /** The blobs not pulled because they have no file name (distinct digests). */
  List<Descriptor> skipped() {
    return List.copyOf(skipped.values());
  }

  /** The file names selected, sorted. */
  List<String> titles() {
    return List.copyOf(titles);
  }
}
