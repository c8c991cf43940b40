/**
 * Stevedore's content model: value types, the storage interfaces every backend implements, and the
 * errors they report.
 *
 * <p>Most users need: {@link dev.stevedore.content.Descriptor} and {@link
 * dev.stevedore.content.Digest} (what content is), the store interfaces {@link
 * dev.stevedore.content.Target} and {@link dev.stevedore.content.GraphTarget} (where it lives),
 * {@link dev.stevedore.content.Packer} (to make an artifact manifest), and {@link
 * dev.stevedore.content.Reference} (to name content in a registry).
 *
 * <p>The interfaces are small, one capability each, composed into wider ones, as in oras-go: {@code
 * Fetcher} + {@code exists} = {@code ReadOnlyStorage}; + {@code Pusher} = {@code Storage}; + tags =
 * {@code Target}; + predecessors = {@code GraphTarget}. Optional capabilities ({@link
 * dev.stevedore.content.TagLister}, {@link dev.stevedore.content.ReferrerLister}, {@link
 * dev.stevedore.content.Mounter}, {@link dev.stevedore.content.ReferenceFetcher}, {@link
 * dev.stevedore.content.ReferencePusher}) are discovered with {@code instanceof}. Implement them to
 * plug your own store into the copy engine; the {@code testing} module's contract suite checks such
 * a store against the same tests as Stevedore's.
 *
 * <p>Every failure is a {@link dev.stevedore.content.ContentException} (an {@code IOException});
 * use {@link dev.stevedore.content.ContentException#is} to classify a wrapped failure.
 */
@NullMarked
package dev.stevedore.content;

import org.jspecify.annotations.NullMarked;
