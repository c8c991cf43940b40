package dev.stevedore.content;

/** Read-only storage that knows the predecessors of its nodes. */
public interface ReadOnlyGraphStorage extends ReadOnlyStorage, PredecessorFinder {}
