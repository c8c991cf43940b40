package dev.stevedore.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The runtime class path Maven resolved for this consumer project, and what it says about Jackson. */
final class ResolvedClasspath {
  private static final Pattern JACKSON_JAR =
      Pattern.compile("(jackson-(?:core|databind|annotations))-(\\d+\\.\\d+(?:\\.\\d+)?)\\.jar");

  private ResolvedClasspath() {}

  static List<Path> entries() throws IOException {
    String file = System.getProperty("stevedore.runtimeClasspath");
    assertThat(file).as("system property stevedore.runtimeClasspath").isNotNull();
    String text = Files.readString(Path.of(file)).trim();
    return Arrays.stream(text.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
  }

  /** Jackson artifact name to version, for every Jackson jar on the class path (one entry each). */
  static Map<String, String> jacksonVersions() throws IOException {
    Map<String, String> versions = new TreeMap<>();
    for (Path entry : entries()) {
      Matcher m = JACKSON_JAR.matcher(entry.getFileName().toString());
      if (m.matches()) {
        String previous = versions.put(m.group(1), m.group(2));
        assertThat(previous).as("two versions of " + m.group(1)).isNull();
      }
    }
    return versions;
  }

  /** The Jackson version the Stevedore build pins (the root pom's jackson.version). */
  static String testedJacksonVersion() throws IOException {
    String pom = Files.readString(Path.of(System.getProperty("stevedore.rootPom")));
    Matcher m = Pattern.compile("<jackson\\.version>([^<]+)</jackson\\.version>").matcher(pom);
    assertThat(m.find()).as("jackson.version in the root pom").isTrue();
    return m.group(1);
  }

  /** Asserts core, databind and annotations are of one Jackson release, the one Stevedore is tested with. */
  static void assertOneJacksonVersion() throws IOException {
    Map<String, String> versions = jacksonVersions();
    String tested = testedJacksonVersion();
    String minor = tested.substring(0, tested.lastIndexOf('.'));
    assertThat(versions).containsOnlyKeys("jackson-core", "jackson-databind", "jackson-annotations");
    assertThat(versions.get("jackson-core")).as("jackson-core").isEqualTo(tested);
    assertThat(versions.get("jackson-databind")).as("jackson-databind").isEqualTo(tested);
    // jackson-annotations is versioned by minor release only since 2.20 (2.22, not 2.22.4)
    assertThat(versions.get("jackson-annotations")).as("jackson-annotations").isIn(minor, tested);
  }
}
