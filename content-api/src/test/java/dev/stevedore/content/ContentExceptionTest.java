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

  @Test
  void notFoundCarriesTheMissingDigest() {
    Digest digest =
        Digest.of("sha256", "missing".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    NotFoundException e = new NotFoundException(digest + ": not found", digest);
    assertThat(e.digest()).isEqualTo(digest);
    assertThat(e.reference()).isNull();
  }

  @Test
  void notFoundCarriesTheMissingReferenceAndTheDigestItNames() {
    NotFoundException tag = new NotFoundException("v1: not found", "v1");
    assertThat(tag.reference()).isEqualTo("v1");
    assertThat(tag.digest()).isNull();
    Digest digest = Digest.of("sha256", "x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    NotFoundException byDigest = new NotFoundException(digest + ": not found", digest.toString());
    assertThat(byDigest.reference()).isEqualTo(digest.toString());
    assertThat(byDigest.digest()).isEqualTo(digest);
  }
}
