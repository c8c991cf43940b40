package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Reference;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import dev.stevedore.examples.ManifestBundleException.Problem;
import dev.stevedore.examples.ManifestBundlePublisher.GitOpsEngine;
import dev.stevedore.examples.ManifestBundlePublisher.OciReference;
import dev.stevedore.examples.ManifestBundlePublisher.Options;
import dev.stevedore.testing.AuthFixtures;
import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.RegistryConfig;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.TestDirs;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ksail seed (001), against a real registry with basic auth (htpasswd). */
@Timeout(60)
class ManifestBundlePublisherTest {
  private static final Path DIR = TestDirs.create("manifest-bundle");
  private static final Instant CREATED = Instant.parse("2024-06-01T00:00:00Z");

  @RegisterExtension
  static final RegistryExtension REGISTRY =
      new RegistryExtension(
          RegistryConfig.builder()
              .htpasswd(
                  "stevedore-examples",
                  TestDirs.unchecked(
                      () ->
                          AuthFixtures.htpasswd(
                              DIR.resolve("htpasswd"), Map.of("deployer", "s3cret"))))
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

  private Options options(
      @Nullable Path src,
      String registry,
      @Nullable String repository,
      String version,
      GitOpsEngine engine,
      @Nullable String user,
      @Nullable String password) {
    return new Options(
        src,
        null,
        registry,
        repository,
        version,
        engine,
        user,
        password,
        RegistryConnection.Transport.PLAIN_HTTP,
        CREATED);
  }

  private Options good(GitOpsEngine engine) {
    return options(
        source,
        REGISTRY.registry().hostPort(),
        "team/app-manifests",
        "1.0.0",
        engine,
        "deployer",
        "s3cret");
  }

  private Repository repository(String name) {
    String host = REGISTRY.registry().hostPort();
    return Repository.builder()
        .registry(host)
        .name(name)
        .plainHttp()
        .credentials(StaticCredentials.of(host, Credential.basic("deployer", "s3cret")))
        .build();
  }

  @Test
  void pushesTheImageKsailPushes() throws Exception {
    ManifestBundlePublisher.Pushed pushed = ManifestBundlePublisher.push(good(GitOpsEngine.FLUX));

    assertThat(pushed.files())
        .containsExactly("base/config.json", "deployment.yaml", "service.yml");
    assertThat(pushed.name()).isEqualTo("app-manifests");
    try (Repository repository = repository("team/app-manifests")) {
      assertThat(repository.resolve("1.0.0").digest()).isEqualTo(pushed.manifest().digest());
      Manifest manifest = Manifest.parse(Contents.fetchAll(repository, pushed.manifest(), 1 << 20));
      assertThat(manifest.mediaType())
          .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
      assertThat(manifest.config().mediaType())
          .isEqualTo("application/vnd.docker.container.image.v1+json");
      assertThat(manifest.layers())
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
                assertThat(l.digest()).isEqualTo(pushed.layer().digest());
              });
      byte[] layer = Contents.fetchAll(repository, pushed.layer(), 1 << 20);
      Map<String, String> files = HelmChartPublisherTest.untar(layer);
      assertThat(files)
          .containsOnlyKeys("base/config.json", "deployment.yaml", "service.yml")
          .containsEntry("deployment.yaml", "kind: Deployment\n");

      JsonNode config =
          new ObjectMapper().readTree(Contents.fetchAll(repository, manifest.config(), 1 << 20));
      assertThat(config.path("os").asText()).isNotEmpty();
      assertThat(config.path("architecture").asText()).isNotEmpty();
      assertThat(config.path("created").asText()).isEqualTo("2024-06-01T00:00:00Z");
      assertThat(config.path("rootfs").path("type").asText()).isEqualTo("layers");
      byte[] tar = new GZIPInputStream(new ByteArrayInputStream(layer)).readAllBytes();
      assertThat(config.path("rootfs").path("diff_ids").get(0).asText())
          .isEqualTo(Digest.sha256(tar).toString());
      JsonNode labels = config.path("config").path("Labels");
      assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("app-manifests");
      assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo("1.0.0");
      assertThat(labels.path("org.opencontainers.image.source").asText())
          .isEqualTo(source.toAbsolutePath().toString());
      assertThat(labels.path("devantler.tech/ksail/repository").asText())
          .isEqualTo("team/app-manifests");
      assertThat(labels.path("devantler.tech/ksail/registryEndpoint").asText())
          .isEqualTo(REGISTRY.registry().hostPort());
    }
  }

  @Test
  void theEngineDecidesWhereFilesGoUnderTheSourceDirectorysName() throws Exception {
    ManifestBundlePublisher.Pushed argo = ManifestBundlePublisher.push(good(GitOpsEngine.ARGOCD));
    assertThat(argo.files())
        .containsExactly("k8s/base/config.json", "k8s/deployment.yaml", "k8s/service.yml");
    ManifestBundlePublisher.Pushed both = ManifestBundlePublisher.push(good(GitOpsEngine.NONE));
    assertThat(both.files())
        .containsExactly(
            "base/config.json",
            "k8s/base/config.json",
            "deployment.yaml",
            "k8s/deployment.yaml",
            "service.yml",
            "k8s/service.yml");

    Files.setLastModifiedTime(
        source.resolve("deployment.yaml"),
        java.nio.file.attribute.FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    ManifestBundlePublisher.Pushed again = ManifestBundlePublisher.push(good(GitOpsEngine.NONE));
    assertThat(again.layer().digest()).isEqualTo(both.layer().digest());
  }

  @Test
  void theRepositoryDefaultsToTheSourceDirectorysNameAndTheEndpointLosesItsScheme()
      throws Exception {
    Path src = Files.createDirectories(temp.resolve("My_Workloads"));
    Files.writeString(src.resolve("pod.yaml"), "kind: Pod\n");
    Options options =
        new Options(
            src,
            null,
            "http://" + REGISTRY.registry().hostPort() + "/ignored/path",
            null,
            "  dev  ",
            GitOpsEngine.NONE,
            "deployer",
            "s3cret",
            RegistryConnection.Transport.HTTPS,
            CREATED);
    ManifestBundlePublisher.Validated validated = ManifestBundlePublisher.validate(options);
    assertThat(validated.registryEndpoint()).isEqualTo(REGISTRY.registry().hostPort());
    assertThat(validated.repository()).isEqualTo("my-workloads");
    assertThat(validated.name()).isEqualTo("my-workloads");
    assertThat(validated.version()).isEqualTo("dev");
    // http:// decides plain HTTP even though the default transport is HTTPS
    assertThat(validated.transport()).isEqualTo(RegistryConnection.Transport.PLAIN_HTTP);

    ManifestBundlePublisher.Pushed pushed = ManifestBundlePublisher.push(options);
    assertThat(pushed.reference().repository()).isEqualTo("my-workloads");
    try (Repository repository = repository("my-workloads")) {
      assertThat(repository.resolve("dev").digest()).isEqualTo(pushed.manifest().digest());
    }
    assertThat(ManifestBundlePublisher.normalizeRepository(" Team/My App/ ", src))
        .isEqualTo("team/my-app");
    assertThat(ManifestBundlePublisher.normalizeEndpoint(" oci://ghcr.io/org/ "))
        .isEqualTo("ghcr.io");
  }

  @Test
  void eachInvalidOptionIsItsOwnErrorWithTheSeedsText() throws Exception {
    String host = REGISTRY.registry().hostPort();
    Path file = Files.writeString(temp.resolve("file.yaml"), "kind: Pod\n");
    Path empty = Files.createDirectories(temp.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "nothing");
    Path blank = Files.createDirectories(temp.resolve("blank"));
    Files.writeString(blank.resolve("pod.yaml"), "");
    assertProblem(
        options(null, host, null, "1", GitOpsEngine.NONE, null, null),
        Problem.SOURCE_REQUIRED,
        "source path is required");
    assertProblem(
        options(temp.resolve("missing"), host, null, "1", GitOpsEngine.NONE, null, null),
        Problem.SOURCE_MISSING,
        "source path does not exist");
    assertProblem(
        options(file, host, null, "1", GitOpsEngine.NONE, null, null),
        Problem.SOURCE_NOT_A_DIRECTORY,
        "source path must be a directory");
    assertProblem(
        options(source, " https:// ", null, "1", GitOpsEngine.NONE, null, null),
        Problem.REGISTRY_REQUIRED,
        "registry endpoint is required");
    assertProblem(
        options(source, host, null, "  ", GitOpsEngine.NONE, null, null),
        Problem.VERSION_REQUIRED,
        "version is required");
    assertProblem(
        options(empty, host, null, "1", GitOpsEngine.NONE, null, null),
        Problem.NO_MANIFESTS_FOUND,
        "no manifest files found in source directory");
    assertProblem(
        options(blank, host, null, "1", GitOpsEngine.NONE, null, null),
        Problem.EMPTY_MANIFEST_FILE,
        "is empty");
  }

  @Test
  void ociReferencesParseWithTheSeedsErrors() throws Exception {
    assertThat(OciReference.parse("")).isNull();
    assertThat(OciReference.parse("oci://localhost:5050/k8s:dev"))
        .isEqualTo(new OciReference("localhost", 5050, "k8s", "", "dev"));
    OciReference variant =
        Objects.requireNonNull(
            OciReference.parse("oci://localhost:5050/my-app/base:v1.0.0"),
            "a full reference parses");
    assertThat(variant).isEqualTo(new OciReference("localhost", 5050, "my-app", "base", "v1.0.0"));
    assertThat(variant.fullRepository()).isEqualTo("my-app/base");
    assertThat(variant.toString()).isEqualTo("oci://localhost:5050/my-app/base:v1.0.0");
    assertThat(
            Objects.requireNonNull(
                    OciReference.parse("oci://registry.example.com:443/workloads:latest"),
                    "a reference with a port parses")
                .endpoint())
        .isEqualTo("registry.example.com:443");
    assertThat(OciReference.parse("oci://ghcr.io/org/repo"))
        .isEqualTo(new OciReference("ghcr.io", 0, "org", "repo", ""));

    assertThatThrownBy(() -> OciReference.parse("localhost:5050/k8s:dev"))
        .isInstanceOfSatisfying(
            ManifestBundleException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_REFERENCE_SCHEME))
        .hasMessage("OCI reference must start with 'oci://'");
    assertThatThrownBy(() -> OciReference.parse("oci://localhost:5050"))
        .isInstanceOfSatisfying(
            ManifestBundleException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_REFERENCE_FORMAT))
        .hasMessage(
            "invalid OCI reference format; expected oci://<host>:<port>/<repository>[/<variant>]:<ref>");
    assertThatThrownBy(() -> OciReference.parse("oci://localhost:99999/k8s:dev"))
        .isInstanceOfSatisfying(
            ManifestBundleException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_REFERENCE_PORT))
        .hasMessage("invalid port number in OCI reference: 99999");
    assertThatThrownBy(() -> OciReference.parse("oci://localhost:http/k8s"))
        .hasMessage("invalid port number in OCI reference: http");
  }

  @Test
  void noCredentialsSaysAuthenticationIsRequired() {
    assertProblem(
        options(source, REGISTRY.registry().hostPort(), null, "1", GitOpsEngine.NONE, null, null),
        Problem.AUTHENTICATION_REQUIRED,
        "registry access verification failed: registry requires authentication\n"
            + "  - configure credentials with --local-registry user:pass@host/repo");
  }

  @Test
  void aWrongPasswordIsAccessDenied() {
    assertProblem(
        options(
            source,
            REGISTRY.registry().hostPort(),
            null,
            "1",
            GitOpsEngine.NONE,
            "deployer",
            "guess"),
        Problem.PERMISSION_DENIED,
        "registry access denied\n  - check credentials have write permission");
  }

  @Test
  void anUnreachableRegistrySaysSo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertProblem(
        options(source, "127.0.0.1:" + port, null, "1", GitOpsEngine.NONE, null, null),
        Problem.REGISTRY_UNREACHABLE,
        "registry access verification failed: registry is unreachable");
  }

  @Test
  void aRegistryThatDoesNotAnswerTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      RegistryConnection connection =
          new RegistryConnection(
              RegistryConnection.Transport.PLAIN_HTTP,
              StaticCredentials.of(Map.<String, Credential>of()));
      Reference repository = Reference.parse("127.0.0.1:" + silent.getLocalPort() + "/team/app");
      assertThatThrownBy(
              () ->
                  ManifestBundlePublisher.verifyAccess(
                      connection, repository, Duration.ofMillis(300)))
          .isInstanceOfSatisfying(
              ManifestBundleException.class,
              e -> assertThat(e.problem()).isEqualTo(Problem.REGISTRY_UNREACHABLE))
          .hasMessageContaining("did not answer within 300 ms");
    }
  }

  /**
   * The check lists tags and nothing else: no upload, no repository created (the old check uploaded
   * a blob).
   */
  @Test
  void verifyingAccessWritesNothing() throws Exception {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port())) {
      RegistryConnection connection =
          new RegistryConnection(
              RegistryConnection.Transport.PLAIN_HTTP,
              StaticCredentials.of(proxy.hostPort(), Credential.basic("deployer", "s3cret")));
      ManifestBundlePublisher.verifyAccess(
          connection,
          Reference.parse(proxy.hostPort() + "/untouched/repo"),
          Duration.ofSeconds(20));
      assertThat(proxy.requestLines())
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line).startsWith("GET "));
    }
    try (Repository repository = repository("untouched/repo")) {
      assertThat(repository.exists(MediaTypes.EMPTY_JSON)).isFalse();
    }
  }

  @Test
  void verifyOptionsAsKsailTakesThem() throws Exception {
    String host = REGISTRY.registry().hostPort();
    ManifestBundlePublisher.verifyAccess(
        new ManifestBundlePublisher.VerifyOptions(host, "team/new", "deployer", "s3cret", true),
        Duration.ofSeconds(20));
    assertThatThrownBy(
            () ->
                ManifestBundlePublisher.verifyAccess(
                    new ManifestBundlePublisher.VerifyOptions(host, "team/new", null, null, true),
                    Duration.ofSeconds(20)))
        .isInstanceOfSatisfying(
            ManifestBundleException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.AUTHENTICATION_REQUIRED));
    assertThatThrownBy(
            () ->
                ManifestBundlePublisher.verifyAccess(
                    new ManifestBundlePublisher.VerifyOptions(" ", "team/new", null, null, true),
                    Duration.ofSeconds(20)))
        .isInstanceOfSatisfying(
            ManifestBundleException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.REGISTRY_REQUIRED))
        .hasMessageStartingWith("registry endpoint is required");
  }

  /**
   * Distribution creates repositories on push; registries such as Harbor answer 404 instead. The
   * fault proxy stands in for such a registry by answering the upload request with 404.
   */
  @Test
  void aRepositoryTheRegistryDoesNotHaveSaysSo() throws Exception {
    try (FaultProxy proxy = FaultProxy.start("127.0.0.1", REGISTRY.registry().port())) {
      proxy.answer(
          line -> line.startsWith("POST /v2/team/app-manifests/blobs/uploads/"), 404, Map.of(), 10);
      Options options =
          options(
              source,
              proxy.hostPort(),
              "team/app-manifests",
              "1",
              GitOpsEngine.NONE,
              "deployer",
              "s3cret");
      assertProblem(
          options,
          Problem.REPOSITORY_NOT_FOUND,
          "registry or repository not found\n" + "  - verify the registry URL is correct");
    }
  }

  private static void assertProblem(Options options, Problem problem, String message) {
    assertThatThrownBy(() -> ManifestBundlePublisher.push(options))
        .isInstanceOfSatisfying(
            ManifestBundleException.class, e -> assertThat(e.problem()).isEqualTo(problem))
        .hasMessageContaining(message);
  }
}
