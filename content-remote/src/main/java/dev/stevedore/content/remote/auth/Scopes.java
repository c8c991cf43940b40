package dev.stevedore.content.remote.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Token scopes, {@code resourceType:resourceName:actions}, as the distribution token spec and
 * oras-go write them. Stevedore asks for the least it needs: {@code pull} to read, {@code
 * pull,push} to write, the source repository's {@code pull} for a mount, {@code registry:catalog:*}
 * for the catalog.
 */
public final class Scopes {
  /** Read access. */
  public static final String PULL = "pull";

  /** Write access. */
  public static final String PUSH = "push";

  /** Delete access. */
  public static final String DELETE = "delete";

  /** The scope of the catalog endpoint. */
  public static final String CATALOG = "registry:catalog:*";

  private Scopes() {}

  /**
   * The scope of actions on a repository.
   *
   * @param repository the repository name
   * @param actions the actions, e.g. {@code pull}, {@code push}
   * @return e.g. {@code repository:library/alpine:pull,push}
   */
  public static String repository(String repository, String... actions) {
    Objects.requireNonNull(repository, "repository");
    if (actions.length == 0) {
      throw new IllegalArgumentException("a repository scope needs at least one action");
    }
    return clean(List.of("repository:" + repository + ":" + String.join(",", actions))).get(0);
  }

  /**
   * Merges scopes: the actions of the same resource are united, deduplicated and sorted ({@code *}
   * absorbs the others), resources are sorted; scopes that are not of the {@code type:name:actions}
   * form are kept as they are. The result is the canonical key of a token cache.
   *
   * @param scopes the scopes
   * @return the merged scopes, sorted
   */
  public static List<String> clean(Collection<String> scopes) {
    Map<String, TreeSet<String>> byResource = new TreeMap<>();
    TreeSet<String> others = new TreeSet<>();
    for (String scope : scopes) {
      if (scope == null || scope.isEmpty()) {
        continue;
      }
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first < 0 || first == last) {
        others.add(scope);
        continue;
      }
      String resource = scope.substring(0, last);
      TreeSet<String> actions = byResource.computeIfAbsent(resource, k -> new TreeSet<>());
      for (String action : scope.substring(last + 1).split(",", -1)) {
        if (!action.isEmpty()) {
          actions.add(action);
        }
      }
    }
    List<String> out = new ArrayList<>();
    byResource.forEach(
        (resource, actions) -> {
          if (actions.isEmpty()) {
            return;
          }
          out.add(resource + ":" + (actions.contains("*") ? "*" : String.join(",", actions)));
        });
    out.addAll(others);
    out.sort(null);
    return List.copyOf(out);
  }
}
