package dev.stevedore.cli;

import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.ReferrerLister;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore discover TARGET}: the referrers graph as a tree. */
@Command(
    name = "discover",
    description = "Show the referrers of an artifact (signatures, SBOMs, ...) as a tree.")
final class DiscoverCommand extends BaseCommand {
  // picocli sets this required argument before call().
  @SuppressWarnings("NullAway.Init")
  @Parameters(
      index = "0",
      paramLabel = "TARGET",
      description = "The subject, with a tag or digest.")
  String target;

  @Option(
      names = "--artifact-type",
      paramLabel = "TYPE",
      description = "Only referrers of this type (first level).")
  @Nullable String artifactType;

  @Option(
      names = "--depth",
      paramLabel = "N",
      description = "Levels of referrers to follow (default: ${DEFAULT-VALUE}).")
  int depth = 8;

  @Option(
      names = "--platform",
      paramLabel = "os/arch[/variant]",
      description = "Discover the referrers of this platform's manifest.")
  @Nullable String platform;

  /** A node of the referrers tree. */
  record Node(Descriptor descriptor, List<Node> referrers) {}

  @Override
  public Integer call() throws Exception {
    TargetRef ref = target(target);
    if (depth < 1) {
      throw new UsageException("--depth must be at least 1, not " + depth);
    }
    GlobalOptions.Format format = options().format();
    Output output = output();
    try (Stores stores = new Stores(options(), context())) {
      ReadOnlyGraphTarget store = stores.openSource(ref);
      Descriptor subject = ManifestCommand.resolve(store, ref, platform);
      Set<Digest> seen = new HashSet<>();
      seen.add(subject.digest());
      List<Node> tree = referrers(store, subject, artifactType, depth, seen);
      PrintWriter out = output.out();
      if (format == GlobalOptions.Format.json) {
        Map<String, Object> json = OrasJson.descriptor(ref.location(), subject);
        json.put("referrers", toJson(ref.location(), tree));
        output.json(json);
      } else if (format == GlobalOptions.Format.table) {
        List<Node> all = new ArrayList<>();
        flatten(tree, all);
        out.println(
            Terminal.escape(
                "Discovered "
                    + all.size()
                    + " artifact"
                    + (all.size() == 1 ? "" : "s")
                    + " referencing "
                    + ref.requireReference()));
        out.println("Digest: " + subject.digest());
        if (!all.isEmpty()) {
          int width = "Artifact Type".length();
          for (Node n : all) {
            width = Math.max(width, type(n).length());
          }
          out.println();
          out.println(pad("Artifact Type", width) + "   Digest");
          for (Node n : all) {
            out.println(Terminal.escape(pad(type(n), width)) + "   " + n.descriptor().digest());
          }
        }
        out.flush();
      } else {
        out.println(Terminal.escape(ref.location() + "@" + subject.digest()));
        print(out, tree, "");
        out.flush();
      }
    }
    return 0;
  }

  private static void flatten(List<Node> nodes, List<Node> into) {
    for (Node n : nodes) {
      into.add(n);
      flatten(n.referrers(), into);
    }
  }

  private static String type(Node n) {
    return n.descriptor().artifactType() == null
        ? "(no artifact type)"
        : n.descriptor().artifactType();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  static List<Node> referrers(
      ReadOnlyGraphTarget store,
      Descriptor subject,
      @Nullable String type,
      int depth,
      Set<Digest> seen)
      throws IOException {
    if (depth <= 0) {
      return List.of();
    }
    List<Node> out = new ArrayList<>();
    for (Descriptor referrer : direct(store, subject, type)) {
      if (!seen.add(referrer.digest())) {
        continue;
      }
      out.add(new Node(referrer, referrers(store, referrer, null, depth - 1, seen)));
    }
    return out;
  }

  /**
   * The manifests whose subject is {@code subject}: the referrers API when there is one, else the
   * predecessors.
   */
  private static List<Descriptor> direct(
      ReadOnlyGraphTarget store, Descriptor subject, @Nullable String type) throws IOException {
    if (store instanceof ReferrerLister lister) {
      return lister.listReferrers(subject, type);
    }
    List<Descriptor> out = new ArrayList<>();
    for (Descriptor predecessor : store.predecessors(subject)) {
      if (!MediaTypes.OCI_MANIFEST.equals(predecessor.mediaType())) {
        continue;
      }
      Manifest manifest =
          Manifest.parse(
              Contents.fetchAll(store, predecessor, Contents.DEFAULT_MAX_METADATA_BYTES));
      if (manifest.subject() == null || !manifest.subject().digest().equals(subject.digest())) {
        continue;
      }
      String actual =
          manifest.artifactType() != null ? manifest.artifactType() : manifest.config().mediaType();
      if (type != null && !type.equals(actual)) {
        continue;
      }
      out.add(predecessor.withArtifactType(actual).withAnnotations(manifest.annotations()));
    }
    return out;
  }

  private static void print(PrintWriter out, List<Node> nodes, String indent) {
    Map<String, List<Node>> byType = new TreeMap<>();
    for (Node node : nodes) {
      String type =
          node.descriptor().artifactType() == null
              ? "(no artifact type)"
              : node.descriptor().artifactType();
      byType.computeIfAbsent(type, k -> new ArrayList<>()).add(node);
    }
    int i = 0;
    for (Map.Entry<String, List<Node>> group : byType.entrySet()) {
      boolean lastGroup = ++i == byType.size();
      out.println(indent + (lastGroup ? "└── " : "├── ") + Terminal.escape(group.getKey()));
      String groupIndent = indent + (lastGroup ? "    " : "│   ");
      int j = 0;
      for (Node node : group.getValue()) {
        boolean last = ++j == group.getValue().size();
        out.println(groupIndent + (last ? "└── " : "├── ") + node.descriptor().digest());
        print(out, node.referrers(), groupIndent + (last ? "    " : "│   "));
      }
    }
  }

  private static List<Object> toJson(String name, List<Node> nodes) {
    List<Object> out = new ArrayList<>();
    for (Node node : nodes) {
      Map<String, Object> entry = OrasJson.descriptor(name, node.descriptor());
      if (!node.referrers().isEmpty()) {
        entry.put("referrers", toJson(name, node.referrers()));
      }
      out.add(entry);
    }
    return out;
  }
}
