package dev.stevedore.examples;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Platform;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.ReadOnlyTarget;
import dev.stevedore.content.Reference;
import dev.stevedore.content.Target;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.copy.CopyListener;
import dev.stevedore.copy.CopyOptions;
import dev.stevedore.copy.ExtendedCopyOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Example 6, mirror: copies a multi-platform image between repositories of a registry with blobs
 * mounted from the source instead of transferred, picks one platform of an image into an OCI
 * layout, and copies a tagged artifact together with everything that refers to it (signatures,
 * SBOMs) from a registry to a layout and back.
 */
public final class Mirror {
  private Mirror() {}

  /**
   * What a mirror run did.
   *
   * @param root the root copied (the index, for a multi-platform image)
   * @param mounted blobs mounted from the source repository
   * @param transferred nodes transferred (manifests, and blobs that could not be mounted)
   * @param skipped nodes already at the destination
   */
  public record Result(Descriptor root, int mounted, int transferred, int skipped) {}

  /** Counts what the copy engine reports; called from its worker threads. */
  private static final class Counter implements CopyListener {
    final AtomicInteger mounted = new AtomicInteger();
    final AtomicInteger transferred = new AtomicInteger();
    final AtomicInteger skipped = new AtomicInteger();

    @Override
    public void nodeMounted(Descriptor node, String fromRepository) {
      mounted.incrementAndGet();
    }

    @Override
    public void nodeDone(Descriptor node) {
      transferred.incrementAndGet();
    }

    @Override
    public void nodeSkipped(Descriptor node) {
      skipped.incrementAndGet();
    }
  }

  /**
   * Copies an image (every platform of it) to another repository; when both are on the same
   * registry, blobs are mounted from the source repository, so no layer travels.
   *
   * @param source the source repository
   * @param sourceRef the tag or digest
   * @param destination the destination repository
   * @param destinationTag the tag at the destination; null or empty for the source reference, as
   *     oras-go's {@code Copy} does
   * @return what was done
   * @throws dev.stevedore.copy.CopyException if a side fails
   * @throws IOException if the copy fails otherwise
   */
  public static Result mirrorImage(
      Repository source, String sourceRef, Repository destination, @Nullable String destinationTag)
      throws IOException {
    Counter counter = new Counter();
    CopyGraphOptions graph = CopyGraphOptions.defaults().withListener(counter);
    if (source.registry().equals(destination.registry())) {
      List<String> from = List.of(source.name());
      graph = graph.withMountFrom(blob -> from);
    }
    Descriptor root =
        Copy.copy(
            source,
            sourceRef,
            destination,
            destinationTag,
            CopyOptions.defaults().withGraphOptions(graph));
    return new Result(
        root, counter.mounted.get(), counter.transferred.get(), counter.skipped.get());
  }

  /**
   * Copies one platform of an image into an OCI layout: the platform's manifest, tagged.
   *
   * @param source where the image is
   * @param sourceRef its tag or digest
   * @param platform the platform wanted
   * @param layout the layout
   * @param tag the tag in the layout
   * @return the platform manifest copied
   * @throws dev.stevedore.copy.CopyException if no manifest matches the platform (a {@link
   *     dev.stevedore.content.NotFoundException} in its cause chain) or a side fails
   * @throws IOException if the copy fails otherwise
   */
  public static Descriptor pickPlatform(
      ReadOnlyTarget source, String sourceRef, Platform platform, OciLayoutStore layout, String tag)
      throws IOException {
    return Copy.copy(
        source, sourceRef, layout, tag, CopyOptions.defaults().withTargetPlatform(platform));
  }

  /**
   * Copies a tagged artifact and its referrers (transitively), optionally only referrers of
   * matching artifact types: from a registry to a layout, or back.
   *
   * @param source where the artifact is; it must list predecessors (a repository, a layout)
   * @param sourceRef its tag or digest
   * @param destination where to copy
   * @param destinationTag the tag at the destination; null or empty for the source reference
   * @param artifactTypes only referrers whose artifact type matches, or null for all
   * @return the artifact's descriptor
   * @throws IOException if the copy fails
   */
  public static Descriptor copyWithReferrers(
      ReadOnlyGraphTarget source,
      String sourceRef,
      Target destination,
      @Nullable String destinationTag,
      @Nullable Pattern artifactTypes)
      throws IOException {
    return copyWithReferrers(
        source, sourceRef, destination, destinationTag, artifactTypes, null, null, 0);
  }

  /**
   * As {@link #copyWithReferrers(ReadOnlyGraphTarget, String, Target, String, Pattern)}, with
   * oras-go's other {@code ExtendedCopy} options: an annotation filter (the referrer must have the
   * key, and its value match the pattern when one is given; applied after the artifact-type filter)
   * and a depth limit.
   *
   * @param source where the artifact is
   * @param sourceRef its tag or digest
   * @param destination where to copy
   * @param destinationTag the tag at the destination; null or empty for the source reference
   * @param artifactTypes only referrers whose artifact type matches, or null for all
   * @param annotationKey only referrers with this annotation, or null for no annotation filter
   * @param annotationValue the annotation's value must match this, or null for any value
   * @param depth how many levels of referrers, or 0 or less for all
   * @return the artifact's descriptor
   * @throws IOException if the copy fails
   */
  public static Descriptor copyWithReferrers(
      ReadOnlyGraphTarget source,
      String sourceRef,
      Target destination,
      @Nullable String destinationTag,
      @Nullable Pattern artifactTypes,
      @Nullable String annotationKey,
      @Nullable Pattern annotationValue,
      int depth)
      throws IOException {
    ExtendedCopyOptions options =
        ExtendedCopyOptions.defaults()
            .filterArtifactType(artifactTypes)
            .withDepth(Math.max(depth, 0));
    if (annotationKey != null) {
      options = options.filterAnnotation(annotationKey, annotationValue);
    }
    return Copy.extendedCopy(source, sourceRef, destination, destinationTag, options);
  }

  /**
   * Mirrors an image: {@code Mirror <host/src:tag> <host/dst:tag> [layout-dir os/arch]} copies all
   * platforms to the destination repository and, when given, one platform into a layout.
   *
   * @param args the arguments
   * @throws IOException if copying fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: Mirror <host/src:tag> <host/dst:tag> [layout-dir os/arch]");
      System.exit(2);
    }
    RegistryConnection connection = Examples.connectionFromEnvironment();
    Reference from = Reference.parse(args[0]);
    Reference to = Reference.parse(args[1]);
    String fromReference = from.reference();
    if (fromReference == null) {
      System.err.println(
          args[0] + " names no tag or digest; give the image to mirror as host/src:tag");
      System.exit(2);
      return;
    }
    String toTag = to.tag();
    try (Repository source = connection.repository(from);
        Repository destination = connection.repository(to)) {
      Result result =
          mirrorImage(source, fromReference, destination, toTag); // no tag: the source's
      System.out.println(
          "mirrored "
              + result.root().digest()
              + ": "
              + result.mounted()
              + " blobs mounted, "
              + result.transferred()
              + " nodes transferred, "
              + result.skipped()
              + " already there");
      if (args.length > 3) {
        Descriptor picked =
            pickPlatform(
                source,
                fromReference,
                Platform.parse(args[3]),
                OciLayoutStore.open(Path.of(args[2])),
                toTag == null ? fromReference : toTag);
        System.out.println("picked " + args[3] + ": " + picked.digest() + " into " + args[2]);
      }
    }
  }
}
