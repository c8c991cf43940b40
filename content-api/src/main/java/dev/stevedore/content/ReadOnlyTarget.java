package dev.stevedore.content;

/** A read-only store with references: fetch, exists, resolve. The source side of a copy. */
public interface ReadOnlyTarget extends ReadOnlyStorage, Resolver {}
