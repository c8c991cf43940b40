package dev.stevedore.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A consumer that imports stevedore-bom names Stevedore modules without versions and gets one
 * Jackson version, the one Stevedore is tested with.
 */
class BomJacksonVersionTest {
  @Test
  void oneJacksonVersionResolvesWithTheBom() throws Exception {
    ResolvedClasspath.assertOneJacksonVersion();
  }

  @Test
  void theBomPinsTheStevedoreModules() throws Exception {
    assertThat(ResolvedClasspath.entries()).map(Path::toString)
        .anyMatch(p -> p.contains("content-remote")).anyMatch(p -> p.contains("copy-engine"))
        .anyMatch(p -> p.contains("content-api"));
  }
}
