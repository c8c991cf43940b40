package dev.stevedore.copy;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.ReadOnlyGraphStorage;
import dev.stevedore.content.ReferrerLister;
import java.io.IOException;
import java.util.List;

/** Default predecessor discovery for the filters of an extended copy. */
final class Predecessors {
  private Predecessors() {}

  /**
   * The predecessors of a node: the referrers listing when the source has one (it carries artifact
   * types and annotations, sparing fetches), otherwise the source's predecessors.
   */
  static List<Descriptor> of(ReadOnlyGraphStorage source, Descriptor node) throws IOException {
    if (source instanceof ReferrerLister lister) {
      return lister.listReferrers(node, null);
    }
    return source.predecessors(node);
  }
}
