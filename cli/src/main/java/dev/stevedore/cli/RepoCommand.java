package dev.stevedore.cli;

import dev.stevedore.content.TagLister;
import dev.stevedore.content.UnsupportedContentException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stevedore repo tags|ls}. */
@Command(name = "repo", description = "List tags of a repository or layout, or repositories of a registry.",
    subcommands = {RepoCommand.Tags.class, RepoCommand.Ls.class})
final class RepoCommand {

  /** {@code repo tags REPO}. */
  @Command(name = "tags", description = "List the tags of a repository or OCI layout.")
  static final class Tags extends BaseCommand {
    @Parameters(index = "0", paramLabel = "REPO", description = "host[:port]/repo or oci:PATH") String target;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      try (Stores stores = new Stores(options(), context())) {
        var store = stores.openSource(ref);
        if (!(store instanceof TagLister lister)) {
          throw new UnsupportedContentException(ref + " cannot list tags");
        }
        List<String> tags = lister.listTags();
        Output output = output();
        tags.forEach(output::result);
        output.json(Map.of("tags", tags));
      }
      return 0;
    }
  }

  /** {@code repo ls HOST}. */
  @Command(name = "ls", description = "List the repositories of a registry.")
  static final class Ls extends BaseCommand {
    @Parameters(index = "0", paramLabel = "HOST", description = "host[:port]") String host;

    @Override
    public Integer call() throws Exception {
      try (Stores stores = new Stores(options(), context())) {
        List<String> repositories = stores.registry(host).listRepositories();
        Output output = output();
        repositories.forEach(output::result);
        output.json(Map.of("repositories", repositories));
      }
      return 0;
    }
  }
}
