package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;

/**
 * One change to index.json, kept as a value so that changes not yet saved can be replayed onto a
 * fresher copy of the file (one written by another process meanwhile).
 */
sealed interface IndexChange {
  /** Applies the change. */
  void applyTo(IndexEditor editor);

  /** A tag set on a descriptor. */
  record Tag(Descriptor desc, String name) implements IndexChange {
    @Override
    public void applyTo(IndexEditor editor) {
      editor.tag(desc, name);
    }
  }

  /** A tag removed. */
  record Untag(String name) implements IndexChange {
    @Override
    public void applyTo(IndexEditor editor) {
      editor.untag(name);
    }
  }

  /** A manifest listed without a name. */
  record List(Descriptor desc) implements IndexChange {
    @Override
    public void applyTo(IndexEditor editor) {
      editor.list(desc);
    }
  }

  /** Every entry of a digest removed. */
  record Remove(Digest digest) implements IndexChange {
    @Override
    public void applyTo(IndexEditor editor) {
      editor.removeDigest(digest);
    }
  }
}
