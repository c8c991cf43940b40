package dev.stevedore.content;

/** A store with references: fetch, exists, push, tag, resolve. The destination side of a copy. */
public interface Target extends Storage, TagResolver, ReadOnlyTarget {}
