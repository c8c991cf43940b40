package dev.stevedore.cli;

import dev.stevedore.content.TagLister;
import dev.stevedore.content.UnsupportedContentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore repo tags|ls}. */
@Command(
    name = "repo",
    description = "List tags of a repository or layout, or repositories of a registry.",
    subcommands = {RepoCommand.Tags.class, RepoCommand.Ls.class})
final class RepoCommand {
  /** The tags of the referrers tag schema: {@code sha256-<64 hex>} (optionally with a suffix). */
  private static final Pattern DIGEST_TAG = Pattern.compile("^[a-z0-9]+-[0-9a-f]{32,}(\\..*)?$");

  /** {@code repo tags REPO}. */
  @Command(
      name = "tags",
      aliases = "list-tags",
      description = "List the tags of a repository or OCI layout.")
  static final class Tags extends BaseCommand {
    // picocli sets this required argument before call().
    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "REPO", description = "host[:port]/repo or oci:PATH")
    String target;

    @Option(
        names = "--last",
        paramLabel = "TAG",
        description = "Start after this tag (lexical order).")
    @Nullable String last;

    @Option(
        names = "--exclude-digest-tags",
        description =
            "Hide tags that look like digests (sha256-..., the referrers" + " tag schema's).")
    boolean excludeDigestTags;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      try (Stores stores = new Stores(options(), context())) {
        var store = stores.openSource(ref);
        if (!(store instanceof TagLister lister)) {
          throw new UnsupportedContentException(ref + " cannot list tags");
        }
        List<String> tags = new ArrayList<>();
        lister.tags(
            last == null || last.isEmpty() ? null : last,
            page -> {
              for (String tag : page) {
                if (!(excludeDigestTags && DIGEST_TAG.matcher(tag).matches())) {
                  tags.add(tag);
                }
              }
            });
        Output output = output();
        tags.forEach(output::result);
        output.json(Map.of("tags", tags));
      }
      return 0;
    }
  }

  /** {@code repo ls HOST}. */
  @Command(name = "ls", aliases = "list", description = "List the repositories of a registry.")
  static final class Ls extends BaseCommand {
    // picocli sets this required argument before call().
    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "HOST", description = "host[:port]")
    String host;

    @Option(
        names = "--last",
        paramLabel = "REPO",
        description = "Start after this repository (lexical order).")
    @Nullable String last;

    @Override
    public Integer call() throws Exception {
      TargetRef.checkPort(host, host);
      try (Stores stores = new Stores(options(), context())) {
        List<String> repositories = new ArrayList<>();
        stores
            .registry(host)
            .repositories(last == null || last.isEmpty() ? null : last, repositories::addAll);
        Output output = output();
        repositories.forEach(output::result);
        output.json(Map.of("repositories", repositories));
      }
      return 0;
    }
  }
}
