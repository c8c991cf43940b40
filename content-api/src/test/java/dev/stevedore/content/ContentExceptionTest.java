package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ContentExceptionTest {
  @Test
  void findWalksTheCauseChain() {
    NotFoundException root = new NotFoundException("sha256:x: not found");
    IOException wrapped = new IOException("copy failed", new ContentException("push failed", root));
    assertThat(ContentException.find(wrapped, NotFoundException.class)).containsSame(root);
    assertThat(ContentException.is(wrapped, DigestMismatchException.class)).isFalse();
  }

  @Test
  void findSurvivesACycle() {
    ContentException a = new ContentException("a");
    ContentException b = new ContentException("b", a);
    a.initCause(b);
    assertThat(ContentException.is(a, NotFoundException.class)).isFalse();
  }

  @Test
  void nullIsNothing() {
    assertThat(ContentException.is(null, ContentException.class)).isFalse();
  }
}
