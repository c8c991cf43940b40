package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Index;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.MediaTypes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The content of a layout's index.json, immutable: its manifests in file order. An entry with an
 * {@code org.opencontainers.image.ref.name} annotation is a tag; an entry without one keeps a
 * manifest reachable (oras-go lists every manifest pushed this way). Changes return new documents,
 * so an update can be replayed onto a fresher copy read from disk.
 */
final class IndexDocument {
  private final Index index;
  private final Map<String, Descriptor> tags;

  private IndexDocument(Index index) {
    this.index = index;
    Map<String, Descriptor> byName = new HashMap<>();
    for (Descriptor entry : index.manifests()) {
      String name = entry.annotation(Annotations.REF_NAME);
      if (name != null && !name.isEmpty()) {
        byName.put(name, entry); // the last entry of a name wins, as in oras-go
      }
    }
    this.tags = Map.copyOf(byName);
  }

  /** An empty index, as oras-go creates it. */
  static IndexDocument empty() {
    return new IndexDocument(Index.of(List.of()));
  }

  /**
   * Parses index.json.
   *
   * @param json the bytes
   * @param where the file, for messages
   * @throws InvalidDescriptorException if the bytes are not an index or an entry is not a
   *     descriptor
   */
  static IndexDocument parse(byte[] json, String where) throws InvalidDescriptorException {
    Index index;
    try {
      index = Index.parse(json);
    } catch (InvalidDescriptorException e) {
      throw new InvalidDescriptorException(
          where
              + ": "
              + e.getMessage()
              + "; the layout was not changed: restore index.json from a backup or rewrite it",
          e);
    }
    if (index.schemaVersion() != 2 && index.schemaVersion() != 0) {
      throw new InvalidDescriptorException(
          where + ": schemaVersion " + index.schemaVersion() + " is not supported (expected 2)");
    }
    return new IndexDocument(index);
  }

  byte[] toJson() {
    // oras-go writes schemaVersion 2 and the OCI index media type, keeping the other fields.
    return new Index(
            2,
            MediaTypes.OCI_INDEX,
            index.artifactType(),
            index.manifests(),
            index.subject(),
            index.annotations())
        .toJson();
  }

  List<Descriptor> entries() {
    return index.manifests();
  }

  @Nullable Descriptor tagged(String name) {
    return tags.get(name);
  }

  NavigableSet<String> tagNames() {
    return new TreeSet<>(tags.keySet());
  }

  /** The first entry for a digest, without its ref.name. */
  @Nullable Descriptor entry(Digest digest) {
    for (Descriptor entry : index.manifests()) {
      if (entry.digest().equals(digest)) {
        return withoutRefName(entry);
      }
    }
    return null;
  }

  boolean contains(Digest digest) {
    return entry(digest) != null;
  }

  /** Tags a descriptor (see {@link IndexEditor#tag}). */
  IndexDocument withTag(Descriptor desc, String name) {
    return edit(new IndexChange.Tag(desc, name));
  }

  /** Removes a tag (see {@link IndexEditor#untag}). */
  IndexDocument withoutTag(String name) {
    return edit(new IndexChange.Untag(name));
  }

  /** Lists a manifest untagged, unless an entry already lists it. */
  IndexDocument withUntagged(Descriptor desc) {
    return edit(new IndexChange.List(desc));
  }

  /** Removes every entry of a digest, tagged or not. */
  IndexDocument withoutDigest(Digest digest) {
    return edit(new IndexChange.Remove(digest));
  }

  private IndexDocument edit(IndexChange change) {
    IndexEditor editor = IndexEditor.of(this);
    change.applyTo(editor);
    return editor.snapshot();
  }

  /** A document listing only these entries, keeping the index's other fields. */
  IndexDocument with(List<Descriptor> entries) {
    return new IndexDocument(index.withManifests(entries));
  }

  static Descriptor withoutRefName(Descriptor desc) {
    if (desc.annotation(Annotations.REF_NAME) == null) {
      return desc;
    }
    Map<String, String> annotations = new HashMap<>(desc.annotations());
    annotations.remove(Annotations.REF_NAME);
    return desc.withAnnotations(annotations);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexDocument other && index.equals(other.index);
  }

  @Override
  public int hashCode() {
    return index.hashCode();
  }

  @Override
  public String toString() {
    return "index.json with " + index.manifests().size() + " entries";
  }
}
