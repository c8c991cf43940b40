package dev.stevedore.content.remote.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopesTest {
  @Test
  void repositoryScopeSortsActions() {
    assertThat(Scopes.repository("library/alpine", "push", "pull"))
        .isEqualTo("repository:library/alpine:pull,push");
  }

  @Test
  void cleanMergesActionsOfTheSameResource() {
    assertThat(
            Scopes.clean(
                List.of(
                    "repository:a:pull",
                    "repository:b:pull",
                    "repository:a:push",
                    "repository:a:pull")))
        .containsExactly("repository:a:pull,push", "repository:b:pull");
  }

  @Test
  void wildcardAbsorbsOtherActions() {
    assertThat(Scopes.clean(List.of("repository:a:pull", "repository:a:*")))
        .containsExactly("repository:a:*");
  }

  @Test
  void catalogAndUnstructuredScopesAreKept() {
    assertThat(Scopes.clean(List.of(Scopes.CATALOG, "weird", "repository:a:")))
        .containsExactly(Scopes.CATALOG, "weird");
  }

  @Test
  void mountScopeAsksPullOnTheSourceOnly() {
    List<String> scopes =
        Scopes.clean(
            List.of(
                Scopes.repository("dst", Scopes.PULL, Scopes.PUSH),
                Scopes.repository("src", Scopes.PULL)));
    assertThat(scopes).containsExactly("repository:dst:pull,push", "repository:src:pull");
  }
}
