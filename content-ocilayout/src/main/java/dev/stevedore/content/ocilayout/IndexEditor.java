package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * index.json being edited: the entries of an {@link IndexDocument} with lookups by tag name and by
 * digest, so that each change costs O(1) (removing a digest costs O(n)), whatever the number of
 * entries — a copy of thousands of manifests lists each one without copying the whole list every
 * time. Not thread-safe: the store guards it with its monitor.
 *
 * <p>The rules are oras-go's, with one difference that keeps content safe: a tag moved to another
 * manifest leaves the manifest it named listed without a name (oras-go lists it by digest only in
 * memory, and its GC then deletes it), so it stays resolvable by digest and {@code gc()} keeps it.
 */
final class IndexEditor {
  /** The index's other fields (schema version, annotations, ...), kept as they are. */
  private final IndexDocument base;

  /** Entries in file order; null where one was removed. */
  private final ArrayList<@Nullable Descriptor> slots = new ArrayList<>();

  private final Map<String, List<Integer>> byName = new HashMap<>();
  private final Map<Digest, List<Integer>> byDigest = new HashMap<>();
  private int removed;
  private @Nullable IndexDocument snapshot;

  private IndexEditor(IndexDocument base) {
    this.base = base;
    for (Descriptor entry : base.entries()) {
      append(entry);
    }
    this.snapshot = base;
  }

  /** An editor starting from a document. */
  static IndexEditor of(IndexDocument doc) {
    return new IndexEditor(doc);
  }

  /** The document as edited so far; cached until the next change. */
  IndexDocument snapshot() {
    IndexDocument current = snapshot;
    if (current == null) {
      List<Descriptor> entries = new ArrayList<>(slots.size() - removed);
      for (Descriptor entry : slots) {
        if (entry != null) {
          entries.add(entry);
        }
      }
      current = base.with(entries);
      snapshot = current;
    }
    return current;
  }

  /** The entry of a tag name (the last one of that name, as oras-go reads it), or null. */
  @Nullable Descriptor tagged(String name) {
    List<Integer> positions = byName.get(name);
    return positions == null || positions.isEmpty()
        ? null
        : slots.get(positions.get(positions.size() - 1));
  }

  /** The first entry for a digest, without its ref.name, or null. */
  @Nullable Descriptor entry(Digest digest) {
    List<Integer> positions = byDigest.get(digest);
    if (positions == null || positions.isEmpty()) {
      return null;
    }
    int first = positions.stream().mapToInt(Integer::intValue).min().orElseThrow();
    return IndexDocument.withoutRefName(slots.get(first));
  }

  /** Whether an entry lists the digest, tagged or not. */
  boolean contains(Digest digest) {
    List<Integer> positions = byDigest.get(digest);
    return positions != null && !positions.isEmpty();
  }

  /** Whether the digest is named by a tag. */
  boolean isTagged(Digest digest) {
    List<Integer> positions = byDigest.get(digest);
    if (positions != null) {
      for (int position : positions) {
        if (refName(slots.get(position)) != null) {
          return true;
        }
      }
    }
    return false;
  }

  NavigableSet<String> tagNames() {
    TreeSet<String> names = new TreeSet<>();
    byName.forEach(
        (name, positions) -> {
          if (!positions.isEmpty()) {
            names.add(name);
          }
        });
    return names;
  }

  int size() {
    return slots.size() - removed;
  }

  /**
   * Tags a descriptor: the entry of that name is replaced in place (further entries of the name are
   * dropped), an untagged entry of the same digest is dropped since the tag now lists it, and a
   * manifest the name named before stays listed, untagged, at the end, unless another entry lists
   * it.
   */
  void tag(Descriptor desc, String name) {
    Map<String, String> annotations = new LinkedHashMap<>(desc.annotations());
    annotations.put(Annotations.REF_NAME, name);
    Descriptor tagged = desc.withAnnotations(annotations);
    List<Descriptor> displaced = new ArrayList<>();
    List<Integer> positions = byName.get(name);
    if (positions == null || positions.isEmpty()) {
      append(tagged);
    } else {
      List<Integer> old = List.copyOf(positions);
      for (int i = 0; i < old.size(); i++) {
        displaced.add(slots.get(old.get(i)));
        if (i == 0) {
          replace(old.get(i), tagged);
        } else {
          remove(old.get(i));
        }
      }
    }
    List<Integer> same = byDigest.get(desc.digest());
    if (same != null) {
      for (int position : List.copyOf(same)) {
        if (refName(slots.get(position)) == null) {
          remove(position);
        }
      }
    }
    for (Descriptor old : displaced) {
      if (!contains(old.digest())) {
        append(IndexDocument.withoutRefName(old));
      }
    }
  }

  /**
   * Removes a tag; its manifest stays listed untagged, in its place, unless another entry lists it.
   */
  void untag(String name) {
    List<Integer> positions = byName.get(name);
    if (positions == null || positions.isEmpty()) {
      return;
    }
    for (int position : List.copyOf(positions)) {
      Descriptor old = slots.get(position);
      if (indexed(byDigest, old.digest()).size() > 1) {
        remove(position);
      } else {
        replace(position, IndexDocument.withoutRefName(old));
      }
    }
  }

  /** Lists a manifest untagged, unless an entry already lists it. */
  void list(Descriptor desc) {
    if (!contains(desc.digest())) {
      append(IndexDocument.withoutRefName(desc));
    }
  }

  /** Removes every entry of a digest, tagged or not. */
  void removeDigest(Digest digest) {
    List<Integer> positions = byDigest.get(digest);
    if (positions != null) {
      for (int position : List.copyOf(positions)) {
        remove(position);
      }
    }
  }

  private void append(Descriptor entry) {
    slots.add(entry);
    index(slots.size() - 1, entry);
    snapshot = null;
  }

  private void replace(int position, Descriptor entry) {
    unindex(position, slots.get(position));
    slots.set(position, entry);
    index(position, entry);
    snapshot = null;
  }

  private void remove(int position) {
    Descriptor old = slots.get(position);
    if (old == null) {
      return;
    }
    unindex(position, old);
    slots.set(position, null);
    removed++;
    snapshot = null;
  }

  private void index(int position, Descriptor entry) {
    byDigest.computeIfAbsent(entry.digest(), d -> new ArrayList<>(1)).add(position);
    String name = refName(entry);
    if (name != null) {
      byName.computeIfAbsent(name, n -> new ArrayList<>(1)).add(position);
    }
  }

  /** The positions of a key every listed entry has; missing means the maps are out of step. */
  private static <K> List<Integer> indexed(Map<K, List<Integer>> positions, K key) {
    List<Integer> found = positions.get(key);
    if (found == null) {
      throw new IllegalStateException(
          "index.json editor out of step: no entry indexed under " + key);
    }
    return found;
  }

  private void unindex(int position, @Nullable Descriptor entry) {
    if (entry == null) {
      return;
    }
    Integer boxed = position;
    List<Integer> digestPositions = indexed(byDigest, entry.digest());
    digestPositions.remove(boxed);
    if (digestPositions.isEmpty()) {
      byDigest.remove(entry.digest());
    }
    String name = refName(entry);
    if (name != null) {
      List<Integer> namePositions = indexed(byName, name);
      namePositions.remove(boxed);
      if (namePositions.isEmpty()) {
        byName.remove(name);
      }
    }
  }

  private static @Nullable String refName(@Nullable Descriptor entry) {
    if (entry == null) {
      return null;
    }
    String name = entry.annotation(Annotations.REF_NAME);
    return name == null || name.isEmpty() ? null : name;
  }
}
