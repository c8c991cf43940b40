package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ReadOnlyGraphStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@link Copy#extendedCopy} and {@link Copy#extendedCopyGraph}: the graph options plus
 * how far and how to look for predecessors. Immutable; start from {@link #defaults()}.
 *
 * <p>Defaults: {@link CopyGraphOptions#defaults()}, unlimited depth, predecessors from {@link
 * ReadOnlyGraphStorage#predecessors}, no filter.
 */
public final class ExtendedCopyOptions {
  private static final ExtendedCopyOptions DEFAULTS =
      new ExtendedCopyOptions(CopyGraphOptions.defaults(), 0, null);

  private final CopyGraphOptions graphOptions;
  private final int depth;
  private final @Nullable PredecessorLookup findPredecessors;

  private ExtendedCopyOptions(
      CopyGraphOptions graphOptions, int depth, @Nullable PredecessorLookup findPredecessors) {
    this.graphOptions = graphOptions;
    this.depth = depth;
    this.findPredecessors = findPredecessors;
  }

  /**
   * The default options.
   *
   * @return the defaults
   */
  public static ExtendedCopyOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The options of the graph copies.
   *
   * @return the graph options; default {@link CopyGraphOptions#defaults()}
   */
  public CopyGraphOptions graphOptions() {
    return graphOptions;
  }

  /**
   * Sets the graph options.
   *
   * @param value the graph options
   * @return a copy with them
   */
  public ExtendedCopyOptions withGraphOptions(CopyGraphOptions value) {
    return new ExtendedCopyOptions(
        Objects.requireNonNull(value, "graphOptions"), depth, findPredecessors);
  }

  /**
   * How many levels of predecessors are followed up from the node: 1 copies the node's direct
   * referrers, 2 also their referrers, and so on.
   *
   * @return the depth; 0 (default) means unlimited
   */
  public int depth() {
    return depth;
  }

  /**
   * Sets the depth.
   *
   * @param value levels, 0 for unlimited
   * @return a copy with it
   * @throws IllegalArgumentException if negative
   */
  public ExtendedCopyOptions withDepth(int value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          "depth must not be negative (0 means unlimited): " + value);
    }
    return new ExtendedCopyOptions(graphOptions, value, findPredecessors);
  }

  /**
   * The predecessor lookup.
   *
   * @return the lookup, or null (default: the source's {@code predecessors})
   */
  public @Nullable PredecessorLookup findPredecessors() {
    return findPredecessors;
  }

  /**
   * Sets the predecessor lookup, replacing any (including filters).
   *
   * @param value the lookup, or null for the default
   * @return a copy with it
   */
  public ExtendedCopyOptions withFindPredecessors(@Nullable PredecessorLookup value) {
    return new ExtendedCopyOptions(graphOptions, depth, value);
  }

  /**
   * Keeps only predecessors whose artifact type matches (anywhere in it, as Go's {@code
   * MatchString}; anchor the pattern to match whole), as oras-go's {@code FilterArtifactType}. A
   * predecessor whose descriptor lacks the artifact type is fetched to read it (its {@code
   * artifactType}, else its config's media type). When the source is a {@link
   * dev.stevedore.content.ReferrerLister} and no lookup was set, its referrers listing is used.
   * Manifests fetched to be filtered are read up to the metadata limit of the graph options set
   * when the filter is added.
   *
   * @param pattern the pattern, or null to leave the options unchanged
   * @return a copy with the filter added to the current lookup
   */
  public ExtendedCopyOptions filterArtifactType(@Nullable Pattern pattern) {
    if (pattern == null) {
      return this;
    }
    long limit = graphOptions.maxMetadataBytes();
    return withFindPredecessors(
        new PredecessorFilter(findPredecessors) {
          @Override
          boolean keep(ReadOnlyGraphStorage source, Descriptor predecessor) throws IOException {
            String type =
                predecessor.artifactType() != null
                    ? predecessor.artifactType()
                    : ManifestFields.artifactType(source, predecessor, limit);
            return pattern.matcher(type).find();
          }
        });
  }

  /**
   * Keeps only predecessors that carry annotation {@code key} whose value matches (anywhere in it)
   * {@code pattern}, or that carry the key at all when the pattern is null, as oras-go's {@code
   * FilterAnnotation}. A manifest predecessor whose descriptor has no annotations is fetched to
   * read them (up to the metadata limit of the graph options set when the filter is added).
   *
   * @param key the annotation key
   * @param pattern the pattern, or null to keep any value
   * @return a copy with the filter added to the current lookup
   */
  public ExtendedCopyOptions filterAnnotation(String key, @Nullable Pattern pattern) {
    Objects.requireNonNull(key, "key");
    long limit = graphOptions.maxMetadataBytes();
    return withFindPredecessors(
        new PredecessorFilter(findPredecessors) {
          @Override
          boolean keep(ReadOnlyGraphStorage source, Descriptor predecessor) throws IOException {
            String value =
                predecessor.annotations().isEmpty()
                    ? ManifestFields.annotations(source, predecessor, limit).get(key)
                    : predecessor.annotation(key);
            return value != null && (pattern == null || pattern.matcher(value).find());
          }
        });
  }

  @Override
  public String toString() {
    return "ExtendedCopyOptions[" + graphOptions + ", depth=" + depth + "]";
  }

  /** A lookup that filters what another (or the default) finds. */
  private abstract static class PredecessorFilter implements PredecessorLookup {
    private final @Nullable PredecessorLookup inner;

    PredecessorFilter(@Nullable PredecessorLookup inner) {
      this.inner = inner;
    }

    abstract boolean keep(ReadOnlyGraphStorage source, Descriptor predecessor) throws IOException;

    @Override
    public List<Descriptor> find(ReadOnlyGraphStorage source, Descriptor node) throws IOException {
      List<Descriptor> found =
          inner != null ? inner.find(source, node) : Predecessors.of(source, node);
      List<Descriptor> kept = new ArrayList<>(found.size());
      for (Descriptor predecessor : found) {
        if (keep(source, predecessor)) {
          kept.add(predecessor);
        }
      }
      return kept;
    }
  }
}
