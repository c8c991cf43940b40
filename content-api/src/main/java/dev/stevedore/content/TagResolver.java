package dev.stevedore.content;

/** Tags and resolves references. */
public interface TagResolver extends Tagger, Resolver {}
