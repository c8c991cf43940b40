package dev.stevedore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.InvalidReferenceException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TargetRefTest {
  private static final String DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Test
  void registryTargets() throws Exception {
    TargetRef ref = TargetRef.parse("localhost:5000/team/app:v1");
    assertThat(ref.kind()).isEqualTo(TargetRef.Kind.REGISTRY);
    assertThat(ref.location()).isEqualTo("localhost:5000/team/app");
    assertThat(ref.tag()).isEqualTo("v1");
    assertThat(ref.reference()).isEqualTo("v1");
  }

  @Test
  void layoutTargetsWithTagOrDigest() throws Exception {
    TargetRef tagged = TargetRef.parse("oci:/tmp/x.y/layout:v1.2");
    assertThat(tagged.kind()).isEqualTo(TargetRef.Kind.OCI_LAYOUT);
    assertThat(tagged.path()).isEqualTo(Path.of("/tmp/x.y/layout"));
    assertThat(tagged.tag()).isEqualTo("v1.2");
    TargetRef pinned = TargetRef.parse("oci:rel/dir@" + DIGEST);
    assertThat(pinned.path()).isEqualTo(Path.of("rel/dir"));
    assertThat(pinned.reference()).isEqualTo(DIGEST);
    assertThat(TargetRef.parse("oci:plain").reference()).isNull();
  }

  @Test
  void archiveTargetsTakeOnlyATag() throws Exception {
    assertThat(TargetRef.parse("oci-archive:img.tar:latest").tag()).isEqualTo("latest");
    assertThatThrownBy(() -> TargetRef.parse("oci-archive:img.tar@" + DIGEST))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("takes a tag");
  }

  @Test
  void badTargetsExplainTheSyntax() {
    assertThatThrownBy(() -> TargetRef.parse("nohost"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("oci:PATH");
    assertThatThrownBy(() -> TargetRef.parse("oci:"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("missing path");
    assertThatThrownBy(() -> TargetRef.parse("oci:dir:bad!tag"))
        .isInstanceOf(InvalidReferenceException.class);
  }

  @Test
  void requireReferenceSaysHowToFixIt() throws Exception {
    assertThatThrownBy(() -> TargetRef.parse("oci:dir").requireReference())
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("needs a tag or a digest");
  }

  @Test
  void plainHttpIsAutomaticForLoopbackOnly() {
    GlobalOptions options = new GlobalOptions();
    assertThat(options.connection().plainHttpFor("localhost:5000")).isTrue();
    assertThat(options.connection().plainHttpFor("127.0.0.1:5000")).isTrue();
    assertThat(options.connection().plainHttpFor("ghcr.io")).isFalse();
    options.forceTls = true;
    assertThat(options.connection().plainHttpFor("localhost:5000")).isFalse();
  }
}
