package dev.stevedore.content;

/** Storage that knows the predecessors of its nodes. */
public interface GraphStorage extends Storage, ReadOnlyGraphStorage {}
