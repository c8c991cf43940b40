package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Platform;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.Target;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.copy.CopyOptions;
import dev.stevedore.copy.ExtendedCopyOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore copy SRC DST}: any target to any target. */
@Command(name = "copy", aliases = "cp", description = {
    "Copy an artifact (with its whole graph) from any target to any target.",
    "Targets: host[:port]/repo[:tag|@digest], oci:PATH[:tag|@digest], oci-archive:FILE[:tag] (source only)."})
final class CopyCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "SRC", description = "The source target, with a tag or digest.")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "The destination; its tag defaults to the source's.")
  String destination;

  @Option(names = {"-r", "--recursive"}, description = "Include referrers (signatures, SBOMs), transitively.")
  boolean recursive;

  @Option(names = "--platform", paramLabel = "os/arch[/variant]", description = "Copy only this platform of an index.")
  @Nullable String platform;

  @Option(names = "--concurrency", paramLabel = "N", description = "Transfers in flight at once (default: "
      + CopyGraphOptions.DEFAULT_CONCURRENCY + ").")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    TargetRef src = target(source);
    TargetRef dst = target(destination);
    String srcRef = src.requireReference();
    String dstRef = dst.reference();
    Output output = output();
    try (Stores stores = new Stores(options(), context()); Progress progress = progress()) {
      ReadOnlyGraphTarget from = stores.openSource(src);
      Target to = stores.openDestination(dst);
      CopyGraphOptions graph = graphOptions(concurrency, progress);
      if (src.kind() == TargetRef.Kind.REGISTRY && dst.kind() == TargetRef.Kind.REGISTRY
          && Objects.requireNonNull(src.registry()).registry().equals(Objects.requireNonNull(dst.registry()).registry())
          && !src.registry().repository().equals(dst.registry().repository())) {
        String fromRepository = src.registry().repository();
        graph = graph.withMountFrom(blob -> List.of(fromRepository));
      }
      Descriptor root;
      if (recursive) {
        if (platform != null) {
          throw new IllegalArgumentException("--platform cannot be combined with --recursive");
        }
        root = Copy.extendedCopy(from, srcRef, to, destinationTag(dstRef, srcRef), ExtendedCopyOptions.defaults()
            .withGraphOptions(graph));
      } else {
        CopyOptions copyOptions = CopyOptions.defaults().withGraphOptions(graph);
        if (platform != null) {
          copyOptions = copyOptions.withTargetPlatform(Platform.parse(platform));
        }
        root = Copy.copy(from, srcRef, to, destinationTag(dstRef, srcRef), copyOptions);
      }
      output.note(progress.summary());
      if (dst.kind() == TargetRef.Kind.OCI_LAYOUT && root.mediaType().startsWith("application/vnd.docker.")) {
        output.note(dockerInLayoutNote(dst));
      }
      output.result("Copied " + src + " => " + dst);
      output.result("Digest: " + root.digest());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("source", src.toString());
      json.put("destination", dst.toString());
      json.put("digest", root.digest().toString());
      json.put("mediaType", root.mediaType());
      json.put("size", root.size());
      json.put("copied", progress.copied());
      json.put("skipped", progress.skipped());
      json.put("mounted", progress.mounted());
      json.put("bytes", progress.copiedBytes());
      output.json(json);
    }
    return 0;
  }

  /**
   * What a Docker-format image in an OCI layout means for other tools (issue 13, item 9):
   * containers/image (skopeo, podman, buildah) looks a tag up only among index.json entries of an
   * OCI media type, and umoci reads only OCI manifests, so no index.json form makes them read it
   * without converting the manifest (which changes its digest).
   */
  static String dockerInLayoutNote(TargetRef dst) {
    return "Note: this is a Docker-format image; the layout keeps its manifest byte for byte (as oras does)."
        + " skopeo and podman find a tag only among OCI entries (\"no descriptor found for reference\"): they"
        + " read it as oci:" + dst.location() + " without a tag when it is the layout's only image; umoci reads"
        + " only OCI images. For a layout they all read, convert it: skopeo copy --format oci (this changes the"
        + " digest).";
  }

  /**
   * The reference to give the root at the destination: the destination's own, else the source's.
   * A source named by digest copied to a destination without a tag is left untagged there (the
   * engine's "tag" by digest names nothing new).
   */
  private static String destinationTag(@Nullable String dstRef, String srcRef) {
    return dstRef != null ? dstRef : srcRef;
  }
}
