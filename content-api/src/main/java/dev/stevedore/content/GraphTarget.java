package dev.stevedore.content;

/**
 * The widest store interface: content, references and predecessors. Every backend of Stevedore
 * implements it (memory, file, OCI layout, remote repository).
 */
public interface GraphTarget extends GraphStorage, Target, ReadOnlyGraphTarget {}
