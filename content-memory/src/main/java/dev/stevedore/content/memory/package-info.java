/**
 * An in-memory content store. Most users need only {@link
 * dev.stevedore.content.memory.MemoryStore}: {@code new MemoryStore()} gives a thread-safe {@code
 * GraphTarget} that verifies what it is given.
 */
@NullMarked
package dev.stevedore.content.memory;

import org.jspecify.annotations.NullMarked;
