package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.testing.RegistryExtension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm is not installed here, so Helm compatibility is proved by what {@code helm pull} checks and
 * reads: the manifest's config and layer media types, the config JSON fields Helm unmarshals into
 * its chart metadata (name, version, apiVersion, appVersion, ...), the tag (the version, with
 * {@code +} as {@code _}), and the chart layer: a tar+gzip whose single top directory is the chart
 * name and holds Chart.yaml (Helm's loader rule).
 */
@Timeout(60)
class HelmChartPublisherTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private static final String CHART_YAML =
      """
      apiVersion: v2
      name: podinfo
      description: A tiny web app
      type: application
      version: 6.5.4
      appVersion: 6.5
      home: https://github.com/stefanprodan/podinfo
      sources:
        - https://github.com/stefanprodan/podinfo
      maintainers:
        - name: Stefan
          email: stefan@example.com
      keywords: [web, demo]
      """;
  private static final Instant CREATED = Instant.parse("2024-01-02T03:04:05Z");

  @TempDir Path temp;
  private Path chart;

  @BeforeEach
  void makeChart() throws Exception {
    chart = temp.resolve("some-dir-name");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), CHART_YAML);
    Files.writeString(chart.resolve("values.yaml"), "replicaCount: 1\n");
    Files.writeString(chart.resolve("templates/deployment.yaml"), "kind: Deployment\n");
  }

  private RegistryConnection connection() {
    return new RegistryConnection(
        RegistryConnection.Transport.PLAIN_HTTP,
        StaticCredentials.of(Map.<String, Credential>of()));
  }

  private Repository repository(String name) {
    return Repository.builder()
        .registry(REGISTRY.registry().hostPort())
        .name(name)
        .plainHttp()
        .build();
  }

  @Test
  void pushesAChartHelmAccepts() throws Exception {
    HelmChartPublisher.PublishedChart published =
        HelmChartPublisher.publish(
            chart, REGISTRY.registry().hostPort() + "/charts", null, CREATED, connection());

    assertThat(published.reference().repository()).isEqualTo("charts/podinfo");
    assertThat(published.reference().tag()).isEqualTo("6.5.4");
    try (Repository repository = repository("charts/podinfo")) {
      Descriptor resolved = repository.resolve("6.5.4");
      assertThat(resolved.digest()).isEqualTo(published.manifest().digest());
      assertThat(resolved.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      Manifest manifest =
          Manifest.parse(
              Contents.fetchAll(repository, resolved, Contents.DEFAULT_MAX_METADATA_BYTES));
      assertThat(manifest.config().mediaType())
          .isEqualTo("application/vnd.cncf.helm.config.v1+json");
      assertThat(manifest.layers())
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l.mediaType())
                      .isEqualTo("application/vnd.cncf.helm.chart.content.v1.tar+gzip"));
      assertThat(manifest.annotations())
          .containsEntry(Annotations.TITLE, "podinfo")
          .containsEntry(Annotations.VERSION, "6.5.4")
          .containsEntry(Annotations.CREATED, "2024-01-02T03:04:05Z")
          .containsEntry(Annotations.AUTHORS, "Stefan (stefan@example.com)")
          .containsEntry(Annotations.SOURCE, "https://github.com/stefanprodan/podinfo");

      JsonNode config =
          new ObjectMapper().readTree(Contents.fetchAll(repository, manifest.config(), 1 << 20));
      assertThat(config.path("name").asText()).isEqualTo("podinfo");
      assertThat(config.path("version").asText()).isEqualTo("6.5.4");
      assertThat(config.path("apiVersion").asText()).isEqualTo("v2");
      assertThat(config.path("appVersion").isTextual())
          .as("appVersion is a string, as Helm's metadata has it")
          .isTrue();
      assertThat(config.path("appVersion").asText()).isEqualTo("6.5");
      assertThat(config.path("type").asText()).isEqualTo("application");
      assertThat(config.path("keywords")).hasSize(2);

      Map<String, String> files =
          untar(Contents.fetchAll(repository, manifest.layers().get(0), 1 << 20));
      assertThat(files.keySet()).allSatisfy(entry -> assertThat(entry).startsWith("podinfo/"));
      assertThat(files)
          .containsKeys(
              "podinfo/Chart.yaml", "podinfo/values.yaml", "podinfo/templates/deployment.yaml");
      assertThat(files.get("podinfo/Chart.yaml")).isEqualTo(CHART_YAML);
    }
  }

  @Test
  void aDifferentTagRewritesTheVersionInACopyOnly() throws Exception {
    FileTime before = Files.getLastModifiedTime(chart.resolve("Chart.yaml"));
    HelmChartPublisher.PublishedChart published =
        HelmChartPublisher.publish(
            chart,
            REGISTRY.registry().hostPort() + "/charts",
            "7.0.0-rc.1_build.5",
            CREATED,
            connection());

    assertThat(published.version()).isEqualTo("7.0.0-rc.1+build.5");
    assertThat(published.reference().tag()).isEqualTo("7.0.0-rc.1_build.5");
    assertThat(Files.readString(chart.resolve("Chart.yaml"))).isEqualTo(CHART_YAML);
    assertThat(Files.getLastModifiedTime(chart.resolve("Chart.yaml"))).isEqualTo(before);
    try (Repository repository = repository("charts/podinfo")) {
      Manifest manifest =
          Manifest.parse(
              Contents.fetchAll(
                  repository,
                  repository.resolve("7.0.0-rc.1_build.5"),
                  Contents.DEFAULT_MAX_METADATA_BYTES));
      JsonNode config =
          new ObjectMapper().readTree(Contents.fetchAll(repository, manifest.config(), 1 << 20));
      assertThat(config.path("version").asText()).isEqualTo("7.0.0-rc.1+build.5");
      String chartYaml =
          untar(Contents.fetchAll(repository, manifest.layers().get(0), 1 << 20))
              .get("podinfo/Chart.yaml");
      assertThat(chartYaml).contains("version: 7.0.0-rc.1+build.5").contains("name: podinfo");
    }
  }

  /**
   * A chart directory given relative to the working directory is packaged from there (it used to be
   * looked up in the scratch directory).
   */
  @Test
  void aRelativeChartDirectoryIsFound() throws Exception {
    Path relative = Path.of("").toAbsolutePath().relativize(chart.toAbsolutePath());
    assertThat(relative.isAbsolute()).isFalse();
    HelmChartPublisher.PublishedChart published =
        HelmChartPublisher.publish(
            relative, REGISTRY.registry().hostPort() + "/relative", null, CREATED, connection());
    try (Repository repository = repository("relative/podinfo")) {
      assertThat(repository.resolve("6.5.4").digest()).isEqualTo(published.manifest().digest());
    }
  }

  @Test
  void aChartWithoutAVersionOrChartYamlIsRefused() throws Exception {
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: podinfo\n");
    assertThatThrownBy(
            () ->
                HelmChartPublisher.publish(
                    chart, REGISTRY.registry().hostPort() + "/charts", null, CREATED, connection()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no version");
    Files.delete(chart.resolve("Chart.yaml"));
    assertThatThrownBy(
            () ->
                HelmChartPublisher.publish(
                    chart, REGISTRY.registry().hostPort() + "/charts", null, CREATED, connection()))
        .isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessageContaining("Chart.yaml is missing");
  }

  @Test
  void aTagThatIsNotSemVerIsRefused() {
    assertThatThrownBy(
            () ->
                HelmChartPublisher.publish(
                    chart,
                    REGISTRY.registry().hostPort() + "/charts",
                    "latest",
                    CREATED,
                    connection()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SemVer");
  }

  /** Regular files of a tar+gzip, by name; directories are skipped, as Helm's loader skips them. */
  static Map<String, String> untar(byte[] tgz) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(tgz));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile()) {
          files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }
}
