package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.Target;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.copy.CopyOptions;
import dev.stevedore.copy.ExtendedCopyOptions;
import dev.stevedore.copy.ResolveOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore copy SRC DST}: any target to any target. */
@Command(
    name = "copy",
    aliases = "cp",
    description = {
      "Copy an artifact (with its whole graph) from any target to any target.",
      "Targets: host[:port]/repo[:tag|@digest], oci:PATH[:tag|@digest], oci-archive:FILE[:tag] (source only).",
      "Several destination tags: DST:tag1,tag2.",
      "Credentials given on the command line belong to one registry: --from-username/--from-password-stdin for the",
      "source, --to-username/--to-password-stdin (or a bare -u/--password-stdin) for the destination only."
    })
final class CopyCommand extends BaseCommand {
  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(
      index = "0",
      paramLabel = "SRC",
      description = "The source target, with a tag or digest.")
  String source;

  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(
      index = "1",
      paramLabel = "DST",
      description = "The destination; its tag defaults to the source's.")
  String destination;

  @Option(
      names = {"-r", "--recursive"},
      description = "Include referrers (signatures, SBOMs), transitively.")
  boolean recursive;

  @Option(
      names = "--platform",
      paramLabel = "os/arch[/variant]",
      description =
          "Copy only this platform of an index"
              + " (with -r: that platform's manifest and its referrers).")
  @Nullable String platform;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description =
          "Transfers in flight at once (default: " + CopyGraphOptions.DEFAULT_CONCURRENCY + ").")
  @Nullable Integer concurrency;

  @Option(
      names = "--from-username",
      paramLabel = "USER",
      description = "Source registry user name.")
  @Nullable String fromUsername;

  @Option(
      names = "--from-password",
      paramLabel = "PASSWORD",
      description = "Source registry password (insecure: prefer --from-password-stdin).")
  @Nullable String fromPassword;

  @Option(
      names = "--from-password-stdin",
      description = "Read the source registry password from standard input.")
  boolean fromPasswordStdin;

  @Option(names = "--from-plain-http", description = "Talk plain HTTP to the source registry.")
  boolean fromPlainHttp;

  @Option(names = "--from-insecure", description = "Skip TLS verification of the source registry.")
  boolean fromInsecure;

  @Option(
      names = "--from-ca-file",
      paramLabel = "PEM",
      description = "CA certificates of the source registry.")
  @Nullable Path fromCaFile;

  @Option(
      names = "--from-registry-config",
      paramLabel = "FILE",
      description = "Docker config with the source's credentials.")
  @Nullable Path fromRegistryConfig;

  @Option(
      names = "--from-header",
      paramLabel = "'Name: value'",
      description = "An extra HTTP header for the source registry.")
  List<String> fromHeaders = new ArrayList<>();

  @Option(names = "--from-oci-layout", description = "SRC is an OCI layout path.")
  boolean fromOciLayout;

  @Option(
      names = "--to-username",
      paramLabel = "USER",
      description = "Destination registry user name (same as -u).")
  @Nullable String toUsername;

  @Option(
      names = "--to-password",
      paramLabel = "PASSWORD",
      description = "Destination registry password (insecure: prefer --to-password-stdin).")
  @Nullable String toPassword;

  @Option(
      names = "--to-password-stdin",
      description = "Read the destination registry password from standard input.")
  boolean toPasswordStdin;

  @Option(names = "--to-plain-http", description = "Talk plain HTTP to the destination registry.")
  boolean toPlainHttp;

  @Option(
      names = "--to-insecure",
      description = "Skip TLS verification of the destination registry.")
  boolean toInsecure;

  @Option(
      names = "--to-ca-file",
      paramLabel = "PEM",
      description = "CA certificates of the destination registry.")
  @Nullable Path toCaFile;

  @Option(
      names = "--to-registry-config",
      paramLabel = "FILE",
      description = "Docker config with the destination's credentials.")
  @Nullable Path toRegistryConfig;

  @Option(
      names = "--to-header",
      paramLabel = "'Name: value'",
      description = "An extra HTTP header for the destination registry.")
  List<String> toHeaders = new ArrayList<>();

  @Option(names = "--to-oci-layout", description = "DST is an OCI layout path.")
  boolean toOciLayout;

  /** The source's settings: the --from-* flags; the global TLS flags; never the bare -u/-p. */
  Connection sourceConnection() {
    Connection global = options().connection();
    return new Connection(
        fromUsername,
        fromPassword,
        fromPasswordStdin,
        fromPlainHttp ? Boolean.TRUE : global.plainHttp(),
        fromInsecure || global.insecure(),
        fromCaFile != null ? fromCaFile : global.caFile(),
        fromRegistryConfig != null ? fromRegistryConfig : global.registryConfig(),
        concat(global.headers(), fromHeaders),
        global.certFile(),
        global.keyFile(),
        global.listing());
  }

  /**
   * The destination's settings: the --to-* flags, else the global ones (a bare -u is the
   * destination's).
   */
  Connection destinationConnection() {
    Connection global = options().connection();
    boolean toCredentials = toUsername != null || toPassword != null || toPasswordStdin;
    if (toCredentials && global.hasCommandLineCredentials()) {
      throw new UsageException(
          "give the destination's credentials once: --to-username/--to-password-stdin"
              + " or -u/--password-stdin, not both");
    }
    return new Connection(
        toCredentials ? toUsername : global.username(),
        toCredentials ? toPassword : global.password(),
        toCredentials ? toPasswordStdin : global.passwordStdin(),
        toPlainHttp ? Boolean.TRUE : global.plainHttp(),
        toInsecure || global.insecure(),
        toCaFile != null ? toCaFile : global.caFile(),
        toRegistryConfig != null ? toRegistryConfig : global.registryConfig(),
        concat(global.headers(), toHeaders),
        global.certFile(),
        global.keyFile(),
        global.listing());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Override
  public Integer call() throws Exception {
    TargetRef src = TargetRef.parse(source, options().ociLayout || fromOciLayout);
    TargetRef dst = TargetRef.parse(destination, options().ociLayout || toOciLayout);
    String srcRef = src.requireReference();
    Output output = output();
    try (Stores stores = new Stores(sourceConnection(), destinationConnection(), context());
        Progress progress = progress()) {
      CopyGraphOptions graph = forDestination(graphOptions(concurrency, progress), dst);
      ReadOnlyGraphTarget from = stores.openSource(src);
      Target to = stores.openDestination(dst);
      if (src.kind() == TargetRef.Kind.REGISTRY
          && dst.kind() == TargetRef.Kind.REGISTRY
          && Objects.requireNonNull(src.registry())
              .registry()
              .equals(Objects.requireNonNull(dst.registry()).registry())
          && !src.registry().repository().equals(dst.registry().repository())) {
        String fromRepository = src.registry().repository();
        graph = graph.withMountFrom(blob -> List.of(fromRepository));
      }
      List<String> tags = dst.tags();
      String firstTag =
          dst.digest() != null ? dst.digest().toString() : tags.isEmpty() ? srcRef : tags.get(0);
      Descriptor root;
      // into a layout: index.json written once at the end (and at checkpoints), not once per
      // manifest
      try (OciLayoutStore.IndexBatch batch =
          to instanceof OciLayoutStore layout ? layout.batch() : null) {
        if (recursive) {
          String start = srcRef;
          if (platform != null) {
            start =
                Copy.resolve(
                        from,
                        srcRef,
                        ResolveOptions.defaults().withTargetPlatform(Platforms.parse(platform)))
                    .digest()
                    .toString();
          }
          root =
              Copy.extendedCopy(
                  from,
                  start,
                  to,
                  firstTag,
                  ExtendedCopyOptions.defaults().withGraphOptions(graph));
        } else {
          CopyOptions copyOptions = CopyOptions.defaults().withGraphOptions(graph);
          if (platform != null) {
            copyOptions = copyOptions.withTargetPlatform(Platforms.parse(platform));
          }
          root = Copy.copy(from, srcRef, to, firstTag, copyOptions);
        }
        for (String tag : tags.size() > 1 ? tags.subList(1, tags.size()) : List.<String>of()) {
          to.tag(root, tag);
        }
      }
      output.note(progress.summary());
      if (dst.kind() == TargetRef.Kind.OCI_LAYOUT
          && root.mediaType().startsWith("application/vnd.docker.")) {
        output.note(dockerInLayoutNote(dst));
      }
      output.line("Copied " + src + " => " + dst);
      output.result("Digest: " + root.digest());
      Map<String, Object> json = new LinkedHashMap<>(OrasJson.descriptor(dst.location(), root));
      json.put("source", src.toString());
      json.put("destination", dst.toString());
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
        + " read it as oci:"
        + dst.location()
        + " without a tag when it is the layout's only image; umoci reads"
        + " only OCI images. For a layout they all read, convert it: skopeo copy --format oci (this changes the"
        + " digest).";
  }
}
