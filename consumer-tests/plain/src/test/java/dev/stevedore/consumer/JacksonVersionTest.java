package dev.stevedore.consumer;

import org.junit.jupiter.api.Test;

/**
 * A consumer that does not import the BOM gets one Jackson version: content-api declares
 * jackson-core and jackson-annotations itself, so nearest-wins picks them over the older
 * jackson-core Vert.x brings through content-remote.
 */
class JacksonVersionTest {
  @Test
  void oneJacksonVersionResolvesWithoutTheBom() throws Exception {
    ResolvedClasspath.assertOneJacksonVersion();
  }
}
