package dev.stevedore.examples;

import dev.stevedore.testing.TestDirs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Contents;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.examples.ManifestBundleException.Problem;
import dev.stevedore.examples.ManifestBundlePublisher.Options;
import dev.stevedore.examples.ManifestBundlePublisher.Placement;
import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Against a real registry with basic auth (htpasswd). */
@Timeout(60)
class ManifestBundlePublisherTest {
  private static final Path DIR = TestDirs.create("manifest-bundle");
  private static final Instant CREATED = Instant.parse("2024-06-01T00:00:00Z");

  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension(RegistryConfig.builder()
      .htpasswd("stevedore-examples", TestDirs.unchecked(() -> AuthFixtures.htpasswd(DIR.resolve("htpasswd"),
          Map.of("deployer", "s3cret"))))
      .build());

  @TempDir Path temp;
  private Path source;

  @BeforeEach
  void makeManifests() throws Exception {
    source = temp.resolve("k8s");
    Files.createDirectories(source.resolve("base"));
    Files.writeString(source.resolve("deployment.yaml"), "kind: Deployment\n");
    Files.writeString(source.resolve("service.yml"), "kind: Service\n");
    Files.writeString(source.resolve("base/config.json"), "{\"kind\":\"ConfigMap\"}");
    Files.writeString(source.resolve("README.md"), "not a manifest");
    Files.writeString(source.resolve("base/notes.txt"), "not a manifest");
  }

  private Options options(Path src, String registry, String version, Placement placement, String user,
      String password) {
    return new Options(src, registry, "team/app-manifests", version, placement, "manifests", user, password,
        RegistryConnection.Transport.PLAIN_HTTP, CREATED);
  }

  private Options good(Placement placement) {
    return options(source, REGISTRY.registry().hostPort(), "1.0.0", placement, "deployer", "s3cret");
  }

  @Test
  void pushesTheManifestsAsOneLayerWithBasicAuth() throws Exception {
    ManifestBundlePublisher.Pushed pushed = ManifestBundlePublisher.push(good(Placement.ROOT));

    assertThat(pushed.files()).containsExactly("base/config.json", "deployment.yaml", "service.yml");
    String host = REGISTRY.registry().hostPort();
    try (Repository repository = Repository.builder().registry(host).name("team/app-manifests").plainHttp()
        .credentials(StaticCredentials.of(host, Credential.basic("deployer", "s3cret"))).build()) {
      assertThat(repository.resolve("1.0.0").digest()).isEqualTo(pushed.manifest().digest());
      Manifest manifest = Manifest.parse(Contents.fetchAll(repository, pushed.manifest(), 1 << 20));
      assertThat(manifest.artifactType()).isEqualTo(ManifestBundlePublisher.ARTIFACT_TYPE);
      assertThat(manifest.layers()).singleElement().satisfies(l -> assertThat(l.digest())
          .isEqualTo(pushed.layer().digest()));
      Map<String, String> files = HelmChartPublisherTest.untar(Contents.fetchAll(repository, pushed.layer(), 1 << 20));
      assertThat(files).containsOnlyKeys("base/config.json", "deployment.yaml", "service.yml")
          .containsEntry("deployment.yaml", "kind: Deployment\n");
    }
  }

  @Test
  void filesGoUnderAPrefixOrBothAndTheLayerIsReproducible() throws Exception {
    ManifestBundlePublisher.Pushed prefixed = ManifestBundlePublisher.push(good(Placement.PREFIX));
    assertThat(prefixed.files()).containsExactly("manifests/base/config.json", "manifests/deployment.yaml",
        "manifests/service.yml");
    ManifestBundlePublisher.Pushed both = ManifestBundlePublisher.push(good(Placement.BOTH));
    assertThat(both.files()).containsExactly("base/config.json", "deployment.yaml", "service.yml",
        "manifests/base/config.json", "manifests/deployment.yaml", "manifests/service.yml");

    Files.setLastModifiedTime(source.resolve("deployment.yaml"),
        java.nio.file.attribute.FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    ManifestBundlePublisher.Pushed again = ManifestBundlePublisher.push(good(Placement.BOTH));
    assertThat(again.layer().digest()).isEqualTo(both.layer().digest());
    assertThat(again.manifest().digest()).isEqualTo(both.manifest().digest());
  }

  @Test
  void eachInvalidOptionIsItsOwnError() throws Exception {
    String host = REGISTRY.registry().hostPort();
    Path file = Files.writeString(temp.resolve("file.yaml"), "kind: Pod\n");
    Path empty = Files.createDirectories(temp.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "nothing");
    assertProblem(options(null, host, "1", Placement.ROOT, null, null), Problem.SOURCE_REQUIRED, "source directory is required");
    assertProblem(options(temp.resolve("missing"), host, "1", Placement.ROOT, null, null), Problem.SOURCE_MISSING,
        "does not exist");
    assertProblem(options(file, host, "1", Placement.ROOT, null, null), Problem.SOURCE_NOT_A_DIRECTORY,
        "is not a directory");
    assertProblem(options(source, null, "1", Placement.ROOT, null, null), Problem.REGISTRY_REQUIRED,
        "registry is required");
    assertProblem(options(source, host, null, Placement.ROOT, null, null), Problem.VERSION_REQUIRED,
        "version \"null\" is missing");
    assertProblem(options(empty, host, "1", Placement.ROOT, null, null), Problem.NO_MANIFESTS_FOUND,
        ".yaml, .yml or .json");
  }

  @Test
  void noCredentialsSaysAuthenticationIsRequired() {
    assertProblem(options(source, REGISTRY.registry().hostPort(), "1", Placement.ROOT, null, null),
        Problem.AUTHENTICATION_REQUIRED, "requires authentication");
  }

  @Test
  void aWrongPasswordSaysTheCredentialsWereRejected() {
    assertProblem(options(source, REGISTRY.registry().hostPort(), "1", Placement.ROOT, "deployer", "guess"),
        Problem.CREDENTIALS_REJECTED, "rejected the credentials");
  }

  @Test
  void anUnreachableRegistrySaysSo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertProblem(options(source, "127.0.0.1:" + port, "1", Placement.ROOT, null, null), Problem.REGISTRY_UNREACHABLE,
        "unreachable");
  }

  /**
   * Distribution creates repositories on push; registries such as Harbor answer 404 instead. The
   * fault proxy stands in for such a registry by answering the upload request with 404.
   */
  @Test
  void aRepositoryTheRegistryDoesNotHaveSaysSo() throws Exception {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port())) {
      proxy.answer(line -> line.startsWith("POST /v2/team/app-manifests/blobs/uploads/"), 404, Map.of(), 10);
      Options options = options(source, proxy.hostPort(), "1", Placement.ROOT, "deployer", "s3cret");
      assertProblem(options, Problem.REPOSITORY_NOT_FOUND, "not found: create it");
    }
  }

  private static void assertProblem(Options options, Problem problem, String message) {
    assertThatThrownBy(() -> ManifestBundlePublisher.push(options))
        .isInstanceOfSatisfying(ManifestBundleException.class, e -> assertThat(e.problem()).isEqualTo(problem))
        .hasMessageContaining(message);
  }
}
