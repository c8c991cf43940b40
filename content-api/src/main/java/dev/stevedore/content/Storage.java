package dev.stevedore.content;

/** Content-addressable storage: fetch, exists, push. */
public interface Storage extends ReadOnlyStorage, Pusher {}
