package dev.stevedore.content;

/** A read-only store with references and predecessors: the source of an extended copy. */
public interface ReadOnlyGraphTarget extends ReadOnlyGraphStorage, ReadOnlyTarget {}
