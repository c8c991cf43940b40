package dev.stevedore.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Digester;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Reference;
import dev.stevedore.content.remote.AuthenticationException;
import dev.stevedore.content.remote.RegistryResponseException;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.StaticCredentials;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.jspecify.annotations.Nullable;

/**
 * Example 3, Kubernetes manifest bundle, the way ksail's workload artifact builder makes one so
 * that Flux and Argo CD (and ksail itself) read it: the {@code .yaml}, {@code .yml} and {@code
 * .json} files of a directory in one tar+gzip layer ({@value #LAYER_MEDIA_TYPE}) — at the archive's
 * root for Flux, under a directory named after the source directory for Argo CD, both by default —
 * in a Docker schema-2 image whose config carries ksail's labels ({@code
 * org.opencontainers.image.title}, {@code version}, {@code source}, {@value #LABEL_REPOSITORY},
 * {@value #LABEL_REGISTRY_ENDPOINT}), pushed with optional basic auth.
 *
 * <p>Options are validated and normalized as ksail does (endpoint scheme and path stripped,
 * repository defaulting to the source directory's name, sanitized to DNS labels, name defaulting to
 * the repository's last segment), each failure a {@link ManifestBundleException.Problem} whose
 * message starts with ksail's text. Registry access is checked first, read-only and within a
 * timeout ({@link #verifyAccess}). References in ksail's {@code
 * oci://<host>[:<port>]/<repository>[/<variant>]:<ref>} form are parsed by {@link
 * OciReference#parse}.
 */
public final class ManifestBundlePublisher {
  /** The media type of the bundle layer (an OCI tar+gzip layer, the one Argo CD accepts). */
  public static final String LAYER_MEDIA_TYPE = MediaTypes.OCI_LAYER_GZIP;

  /** The manifest media type: go-containerregistry's default image is Docker schema 2. */
  public static final String MANIFEST_MEDIA_TYPE = MediaTypes.DOCKER_MANIFEST;

  /** The config media type: a Docker image config. */
  public static final String CONFIG_MEDIA_TYPE = MediaTypes.DOCKER_CONFIG;

  /** Config label naming the repository. */
  public static final String LABEL_REPOSITORY = "devantler.tech/ksail/repository";

  /** Config label naming the registry endpoint. */
  public static final String LABEL_REGISTRY_ENDPOINT = "devantler.tech/ksail/registryEndpoint";

  /** The timeout of the access check in {@code main}. */
  public static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestBundlePublisher() {}

  /** The GitOps engine the archive layout is made for. */
  public enum GitOpsEngine {
    /**
     * None given: files at the root and under the prefix directory, for both engines (the default).
     */
    NONE,
    /** Flux: files at the archive's root. */
    FLUX,
    /** Argo CD: files under the prefix directory (the source directory's name). */
    ARGOCD
  }

  /**
   * What to push where, as ksail's {@code BuildOptions}; checked by {@link
   * ManifestBundlePublisher#validate}.
   *
   * @param source the directory of manifests (required)
   * @param name the artifact name, or null for the repository's last segment
   * @param registryEndpoint {@code host[:port]}, optionally with {@code http://}, {@code https://}
   *     or {@code oci://} and a path, which are stripped (required)
   * @param repository the repository, or null for the source directory's name
   * @param version the tag, any non-empty string (required)
   * @param engine the archive layout
   * @param username the basic-auth user, or null for anonymous
   * @param password the basic-auth password, or null
   * @param transport how to reach the registry when the endpoint names no scheme ({@code http://}
   *     means plain HTTP, {@code https://} HTTPS)
   * @param created the config's creation time, or null for now
   */
  public record Options(
      @Nullable Path source,
      @Nullable String name,
      @Nullable String registryEndpoint,
      @Nullable String repository,
      @Nullable String version,
      GitOpsEngine engine,
      @Nullable String username,
      @Nullable String password,
      RegistryConnection.Transport transport,
      @Nullable Instant created) {
    /** Checks only what is not user input. */
    public Options {
      Objects.requireNonNull(engine, "engine");
      Objects.requireNonNull(transport, "transport");
    }
  }

  /**
   * Options after {@link ManifestBundlePublisher#validate}: all set and normalized.
   *
   * @param name the artifact name
   * @param source the absolute source directory
   * @param registryEndpoint the bare {@code host[:port]}
   * @param repository the sanitized repository
   * @param version the trimmed version
   * @param engine the archive layout
   * @param username the user, or null
   * @param password the password, or null
   * @param transport the transport decided
   */
  public record Validated(
      String name,
      Path source,
      String registryEndpoint,
      String repository,
      String version,
      GitOpsEngine engine,
      @Nullable String username,
      @Nullable String password,
      RegistryConnection.Transport transport) {}

  /**
   * What was pushed (ksail's {@code OCIArtifact}).
   *
   * @param name the artifact name
   * @param registryEndpoint the registry
   * @param repository the repository
   * @param tag the tag (the version)
   * @param source the source directory
   * @param created the creation time
   * @param manifest the manifest
   * @param layer the bundle layer
   * @param files the archive entries, in archive order
   */
  public record Pushed(
      String name,
      String registryEndpoint,
      String repository,
      String tag,
      Path source,
      Instant created,
      Descriptor manifest,
      Descriptor layer,
      List<String> files) {
    /** Copies the list. */
    public Pushed {
      files = List.copyOf(files);
    }

    /**
     * The reference pushed.
     *
     * @return {@code host/repository:tag@digest}
     */
    public Reference reference() {
      return new Reference(registryEndpoint, repository, tag, manifest.digest());
    }
  }

  /**
   * A parsed ksail OCI reference: {@code oci://<host>[:<port>]/<repository>[/<variant>][:<ref>]}.
   *
   * @param host the host
   * @param port the port, 0 when none
   * @param repository the first path segment
   * @param variant the rest of the path, or empty
   * @param ref the tag, or empty
   */
  public record OciReference(String host, int port, String repository, String variant, String ref) {
    /**
     * Parses as ksail does: the host ends at the first {@code /}, a port after its last {@code :};
     * the ref follows the last {@code :} of the path; the repository is the path's first segment.
     *
     * @param value the reference
     * @return the parts, or null for an empty value (use the defaults)
     * @throws ManifestBundleException with {@code INVALID_REFERENCE_SCHEME}, {@code
     *     INVALID_REFERENCE_FORMAT} or {@code INVALID_REFERENCE_PORT}
     */
    public static @Nullable OciReference parse(String value) throws ManifestBundleException {
      if (value.isEmpty()) {
        return null;
      }
      if (!value.startsWith(PublishTarget.SCHEME)) {
        throw new ManifestBundleException(
            ManifestBundleException.Problem.INVALID_REFERENCE_SCHEME, null, null);
      }
      String rest = value.substring(PublishTarget.SCHEME.length());
      int slash = rest.indexOf('/');
      if (rest.isEmpty() || slash < 0) {
        throw new ManifestBundleException(
            ManifestBundleException.Problem.INVALID_REFERENCE_FORMAT, null, null);
      }
      String hostPort = rest.substring(0, slash);
      String path = rest.substring(slash + 1);
      String host = hostPort;
      int port = 0;
      int colon = hostPort.lastIndexOf(':');
      if (colon >= 0) {
        host = hostPort.substring(0, colon);
        String portText = hostPort.substring(colon + 1);
        try {
          port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
          port = -1;
        }
        if (port < 1 || port > 65535) {
          throw new ManifestBundleException(
              ManifestBundleException.Problem.INVALID_REFERENCE_PORT, portText, null);
        }
      }
      String ref = "";
      int refColon = path.lastIndexOf(':');
      if (refColon >= 0) {
        ref = path.substring(refColon + 1);
        path = path.substring(0, refColon);
      }
      int split = path.indexOf('/');
      return split < 0
          ? new OciReference(host, port, path, "", ref)
          : new OciReference(host, port, path.substring(0, split), path.substring(split + 1), ref);
    }

    /**
     * The repository with its variant.
     *
     * @return {@code repository[/variant]}
     */
    public String fullRepository() {
      return variant.isEmpty() ? repository : repository + "/" + variant;
    }

    /**
     * The registry endpoint.
     *
     * @return {@code host[:port]}
     */
    public String endpoint() {
      return port > 0 ? host + ":" + port : host;
    }

    /**
     * The reference back as text.
     *
     * @return {@code oci://host[:port]/repository[/variant][:ref]}
     */
    @Override
    public String toString() {
      return PublishTarget.SCHEME
          + endpoint()
          + "/"
          + fullRepository()
          + (ref.isEmpty() ? "" : ":" + ref);
    }
  }

  /**
   * Validates and normalizes as ksail's {@code BuildOptions.Validate}, in its order.
   *
   * @param options the options
   * @return the normalized options
   * @throws ManifestBundleException for a missing or wrong option
   */
  public static Validated validate(Options options) throws ManifestBundleException {
    String sourceText = options.source() == null ? "" : options.source().toString().trim();
    if (sourceText.isEmpty()) {
      throw problem(
          ManifestBundleException.Problem.SOURCE_REQUIRED,
          "give the directory holding the Kubernetes manifests");
    }
    Path source = Path.of(sourceText).toAbsolutePath().normalize();
    if (!Files.exists(source)) {
      throw problem(ManifestBundleException.Problem.SOURCE_MISSING, source + "; check the path");
    }
    if (!Files.isDirectory(source)) {
      throw problem(
          ManifestBundleException.Problem.SOURCE_NOT_A_DIRECTORY,
          source + " is a file; give the directory that holds the manifests");
    }
    String raw = options.registryEndpoint() == null ? "" : options.registryEndpoint().trim();
    RegistryConnection.Transport transport = options.transport();
    if (raw.startsWith("http://")) {
      transport = RegistryConnection.Transport.PLAIN_HTTP;
    } else if (raw.startsWith("https://") && transport == RegistryConnection.Transport.PLAIN_HTTP) {
      transport = RegistryConnection.Transport.HTTPS;
    }
    String endpoint = normalizeEndpoint(raw);
    if (endpoint.isEmpty()) {
      throw problem(
          ManifestBundleException.Problem.REGISTRY_REQUIRED,
          "e.g. registry.example.com or localhost:5000");
    }
    String version = options.version() == null ? "" : options.version().trim();
    if (version.isEmpty()) {
      throw problem(
          ManifestBundleException.Problem.VERSION_REQUIRED,
          "give a tag such as dev, latest or 1.0.0");
    }
    if (!Reference.isValidTag(version)) {
      throw problem(
          ManifestBundleException.Problem.VERSION_INVALID,
          "version \""
              + version
              + "\" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)");
    }
    String repository = normalizeRepository(options.repository(), source);
    String name = normalizeName(options.name(), repository);
    try {
      new Reference(endpoint, repository, version, null);
    } catch (IllegalArgumentException e) {
      throw new ManifestBundleException(
          ManifestBundleException.Problem.REGISTRY_REQUIRED,
          "\"" + endpoint + "\" is not a host[:port]: " + e.getMessage(),
          e);
    }
    return new Validated(
        name,
        source,
        endpoint,
        repository,
        version,
        options.engine(),
        options.username(),
        options.password(),
        transport);
  }

  /** Strips {@code oci://}, {@code https://}, {@code http://}, a trailing slash and any path. */
  static String normalizeEndpoint(String raw) {
    String s = raw.trim();
    for (String prefix : List.of("oci://", "https://", "http://")) {
      if (s.startsWith(prefix)) {
        s = s.substring(prefix.length());
      }
    }
    s = s.trim();
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    s = s.trim();
    int slash = s.indexOf('/');
    return slash > 0 ? s.substring(0, slash) : s;
  }

  /** The repository, or the source directory's name; each segment sanitized to a DNS label. */
  static String normalizeRepository(@Nullable String candidate, Path source) {
    String path = candidate == null ? "" : candidate.trim();
    if (path.isEmpty()) {
      path = source.getFileName() == null ? "" : source.getFileName().toString();
    }
    path = path.replace('\\', '/').replaceAll("^/+|/+$", "");
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      String label = dnsLabel(segment);
      if (!label.isEmpty()) {
        segments.add(label);
      }
    }
    return segments.isEmpty() ? "ksail-workloads" : String.join("/", segments);
  }

  /** The name, or the repository's last segment, sanitized to a DNS label. */
  static String normalizeName(@Nullable String candidate, String repository) {
    String name = candidate == null ? "" : candidate.trim();
    if (name.isEmpty()) {
      name = repository.substring(repository.lastIndexOf('/') + 1);
    }
    String label = dnsLabel(name);
    return label.isEmpty() ? "ksail-workload" : label;
  }

  /**
   * Lower-case letters, digits and single hyphens, no hyphen at either end, at most 63 characters.
   */
  static String dnsLabel(String value) {
    String s =
        value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (s.length() > 63) {
      s = s.substring(0, 63).replaceAll("-+$", "");
    }
    return s;
  }

  /**
   * Validates, checks access (read-only), builds and pushes the bundle.
   *
   * @param options what to push where
   * @return what was pushed
   * @throws ManifestBundleException for each problem of {@link ManifestBundleException.Problem}
   * @throws IOException if reading the files or pushing fails otherwise
   */
  public static Pushed push(Options options) throws IOException {
    Validated v = validate(options);
    List<Path> manifests = collect(v.source());
    Path scratch = Files.createTempFile("stevedore-manifests-", ".tar.gz");
    try {
      Archive archive = writeArchive(v.source(), manifests, v.engine(), scratch);
      RegistryConnection connection =
          connection(v.registryEndpoint(), v.username(), v.password(), v.transport());
      Reference reference = new Reference(v.registryEndpoint(), v.repository(), v.version(), null);
      verifyAccess(connection, reference, DEFAULT_VERIFY_TIMEOUT);
      Instant created = options.created() == null ? Instant.now() : options.created();
      try (Repository repository = connection.repository(reference)) {
        Descriptor layer = Descriptor.of(LAYER_MEDIA_TYPE, archive.digest(), Files.size(scratch));
        try (InputStream in = Files.newInputStream(scratch)) {
          repository.push(layer, in);
        }
        byte[] config = config(v, archive.diffId(), created);
        Descriptor configDescriptor = Descriptor.of(CONFIG_MEDIA_TYPE, config);
        repository.push(configDescriptor, new ByteArrayInputStream(config));
        byte[] manifest =
            new Manifest(
                    2, MANIFEST_MEDIA_TYPE, null, configDescriptor, List.of(layer), null, Map.of())
                .toJson();
        Descriptor manifestDescriptor = Descriptor.of(MANIFEST_MEDIA_TYPE, manifest);
        repository.pushReference(
            manifestDescriptor, new ByteArrayInputStream(manifest), v.version());
        return new Pushed(
            v.name(),
            v.registryEndpoint(),
            v.repository(),
            v.version(),
            v.source(),
            created,
            manifestDescriptor,
            layer,
            archive.entries());
      } catch (ManifestBundleException e) {
        throw e;
      } catch (IOException e) {
        throw Objects.requireNonNull(
            classify(e, reference, true), "a failed push is always classified");
      }
    } finally {
      Files.deleteIfExists(scratch);
    }
  }

  /**
   * The image config ksail writes: this machine's OS and architecture (Go's names), the creation
   * time, one history entry, the layer's diff id, and the labels.
   */
  static byte[] config(Validated v, Digest diffId, Instant created) throws IOException {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config.put("architecture", goArch());
    config.put("created", BundlePublisher.rfc3339(created));
    config.putArray("history").addObject().put("created", "0001-01-01T00:00:00Z");
    config.put("os", goOs());
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    diffIds.add(diffId.toString());
    ObjectNode labels = config.putObject("config").putObject("Labels");
    Map<String, String> sorted =
        new TreeMap<>(
            Map.of(
                Annotations.TITLE,
                v.name(),
                Annotations.VERSION,
                v.version(),
                Annotations.SOURCE,
                v.source().toString(),
                LABEL_REPOSITORY,
                v.repository(),
                LABEL_REGISTRY_ENDPOINT,
                v.registryEndpoint()));
    sorted.forEach(labels::put);
    return JSON.writeValueAsBytes(config);
  }

  private static String goArch() {
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> arch;
    };
  }

  private static String goOs() {
    String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    return os.startsWith("mac")
        ? "darwin"
        : os.startsWith("windows") ? "windows" : os.split(" ", -1)[0];
  }

  /**
   * The manifest files under a directory, sorted by path; an empty one is an error, as in ksail.
   *
   * @param source the directory
   * @return the files
   * @throws ManifestBundleException with {@code NO_MANIFESTS_FOUND} if there are none, {@code
   *     EMPTY_MANIFEST_FILE} for an empty one
   * @throws IOException if the directory cannot be read
   */
  public static List<Path> collect(Path source) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(source)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(ManifestBundlePublisher::isManifest)
              .sorted(
                  (a, b) -> slashed(source.relativize(a)).compareTo(slashed(source.relativize(b))))
              .toList();
    }
    for (Path file : files) {
      if (Files.size(file) == 0) {
        throw problem(
            ManifestBundleException.Problem.EMPTY_MANIFEST_FILE,
            "manifest file " + file + " is empty; remove it or give it content");
      }
    }
    if (files.isEmpty()) {
      throw problem(
          ManifestBundleException.Problem.NO_MANIFESTS_FOUND,
          source + " has no file ending in .yaml, .yml or .json");
    }
    return files;
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  private static String slashed(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }

  /**
   * Checks, as ksail's {@code VerifyRegistryAccessWithTimeout}, that the registry answers and these
   * credentials are accepted, by listing the repository's tags: read-only, nothing is written. A
   * repository that does not exist yet is fine (the push creates it).
   *
   * @param connection transport and credentials
   * @param repository the repository
   * @param timeout how long to wait for the answer
   * @throws ManifestBundleException with {@code REGISTRY_UNREACHABLE} (also on timeout), {@code
   *     AUTHENTICATION_REQUIRED} or {@code PERMISSION_DENIED}; the message starts with {@code
   *     registry access verification failed: }
   */
  public static void verifyAccess(
      RegistryConnection connection, Reference repository, Duration timeout)
      throws ManifestBundleException {
    Repository repo = connection.repository(repository);
    FutureTask<Void> check =
        new FutureTask<>(
            () -> {
              repo.tags(null, page -> {});
              return null;
            });
    Thread thread = new Thread(check, "verify-" + repository.registry());
    thread.setDaemon(true);
    thread.start();
    try {
      check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      check.cancel(true);
      throw verification(
          new ManifestBundleException(
              ManifestBundleException.Problem.REGISTRY_UNREACHABLE,
              repository.registry() + " did not answer within " + timeout.toMillis() + " ms",
              e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw verification(
          new ManifestBundleException(
              ManifestBundleException.Problem.REGISTRY_UNREACHABLE, "interrupted", e));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        ManifestBundleException classified = classify(io, repository, false);
        if (classified != null) {
          throw verification(classified);
        }
      } else {
        throw verification(
            new ManifestBundleException(
                ManifestBundleException.Problem.REGISTRY_UNREACHABLE,
                String.valueOf(cause),
                cause));
      }
    } finally {
      repo.close();
    }
  }

  /**
   * What to verify, as ksail's {@code VerifyOptions}.
   *
   * @param registryEndpoint {@code host[:port]}
   * @param repository the repository to check
   * @param username the user, or null
   * @param password the password, or null
   * @param insecure plain HTTP (local registries)
   */
  public record VerifyOptions(
      @Nullable String registryEndpoint,
      String repository,
      @Nullable String username,
      @Nullable String password,
      boolean insecure) {}

  /**
   * ksail's {@code VerifyRegistryAccessWithTimeout}: {@link #verifyAccess(RegistryConnection,
   * Reference, Duration)} with the connection made from the options (basic auth when a user or
   * password is given; plain HTTP when insecure, else HTTPS).
   *
   * @param options what to verify
   * @param timeout how long to wait
   * @throws ManifestBundleException with {@code REGISTRY_REQUIRED} for an empty endpoint, or as the
   *     other method
   */
  public static void verifyAccess(VerifyOptions options, Duration timeout)
      throws ManifestBundleException {
    String endpoint =
        options.registryEndpoint() == null ? "" : normalizeEndpoint(options.registryEndpoint());
    if (endpoint.isEmpty()) {
      throw problem(
          ManifestBundleException.Problem.REGISTRY_REQUIRED, "give the registry to verify");
    }
    Reference reference;
    try {
      reference = new Reference(endpoint, options.repository(), null, null);
    } catch (IllegalArgumentException e) {
      throw new ManifestBundleException(
          ManifestBundleException.Problem.REGISTRY_REQUIRED,
          "\""
              + endpoint
              + "/"
              + options.repository()
              + "\" is not host[:port]/repository: "
              + e.getMessage(),
          e);
    }
    verifyAccess(
        connection(
            endpoint,
            options.username(),
            options.password(),
            options.insecure()
                ? RegistryConnection.Transport.PLAIN_HTTP
                : RegistryConnection.Transport.HTTPS),
        reference,
        timeout);
  }

  private static ManifestBundleException verification(ManifestBundleException e) {
    return e.within("registry access verification failed");
  }

  /**
   * Classifies a registry failure as ksail does: 401 authentication required, 403 (or rejected
   * credentials) denied, connection failures unreachable; 404 is fine while verifying (the push
   * creates the repository) and "not found" when pushing.
   *
   * @return the problem, or null when the failure is acceptable (only while verifying)
   */
  /**
   * The problem an I/O failure means; null only when reading ({@code pushing} false) found nothing,
   * which is fine.
   */
  private static @Nullable ManifestBundleException classify(
      IOException e, Reference repository, boolean pushing) {
    String where = repository.registry() + "/" + repository.repository();
    if (e instanceof AuthenticationException auth) {
      return switch (auth.reason()) {
        case CREDENTIALS_REQUIRED ->
            new ManifestBundleException(
                ManifestBundleException.Problem.AUTHENTICATION_REQUIRED,
                auth.registry() + " answered 401 without credentials; give a username and password",
                e);
        case CREDENTIALS_REJECTED ->
            new ManifestBundleException(
                ManifestBundleException.Problem.PERMISSION_DENIED,
                auth.registry() + " rejected the credentials; check the username and password",
                e);
        case ACCESS_DENIED ->
            new ManifestBundleException(
                ManifestBundleException.Problem.PERMISSION_DENIED,
                "these credentials may not " + (pushing ? "push to " : "read ") + where,
                e);
      };
    }
    boolean notFound =
        e instanceof NotFoundException
            || (e instanceof RegistryResponseException r
                && (r.statusCode() == 404 || r.hasErrorCode("NAME_UNKNOWN")));
    if (notFound) {
      return pushing
          ? new ManifestBundleException(
              ManifestBundleException.Problem.REPOSITORY_NOT_FOUND,
              where
                  + " answered 404 to the push; registries such as Harbor or ECR need the repository created first",
              e)
          : null;
    }
    if (e instanceof RegistryResponseException r) {
      if (r.statusCode() == 401) {
        return new ManifestBundleException(
            ManifestBundleException.Problem.AUTHENTICATION_REQUIRED, r.getMessage(), e);
      }
      if (r.statusCode() == 403) {
        return new ManifestBundleException(
            ManifestBundleException.Problem.PERMISSION_DENIED, r.getMessage(), e);
      }
      return new ManifestBundleException(
          ManifestBundleException.Problem.REGISTRY_UNREACHABLE,
          repository.registry() + " answered " + r.statusCode() + ": " + r.getMessage(),
          e);
    }
    if (ContentException.is(e, ConnectException.class)
        || ContentException.is(e, UnknownHostException.class)
        || ContentException.is(e, java.nio.channels.UnresolvedAddressException.class)) {
      return new ManifestBundleException(
          ManifestBundleException.Problem.REGISTRY_UNREACHABLE,
          repository.registry()
              + " refused the connection or is unknown; check the host and port, that it runs,"
              + " and whether it needs plain HTTP (http:// endpoint)",
          e);
    }
    return new ManifestBundleException(
        ManifestBundleException.Problem.REGISTRY_UNREACHABLE,
        repository.registry() + " could not be used: " + e.getMessage(),
        e);
  }

  private static RegistryConnection connection(
      String endpoint,
      @Nullable String username,
      @Nullable String password,
      RegistryConnection.Transport transport) {
    boolean anonymous =
        (username == null || username.isEmpty()) && (password == null || password.isEmpty());
    StaticCredentials credentials =
        anonymous
            ? StaticCredentials.of(Map.<String, Credential>of())
            : StaticCredentials.of(
                endpoint,
                Credential.basic(
                    username == null ? "" : username, password == null ? "" : password));
    return new RegistryConnection(transport, credentials);
  }

  private static ManifestBundleException problem(
      ManifestBundleException.Problem problem, String detail) {
    return new ManifestBundleException(problem, detail, null);
  }

  /** The archive's digest, its uncompressed digest (the diff id) and its file entries. */
  private record Archive(Digest digest, Digest diffId, List<String> entries) {}

  /**
   * Writes the tar+gzip as ksail lays it out — file entries only, in path order, each at the root
   * (unless Argo CD) and then under the source directory's name (unless Flux) — but reproducibly:
   * times zero, uid/gid 0, mode 0644, gzip header without name or time.
   */
  private static Archive writeArchive(
      Path source, List<Path> files, GitOpsEngine engine, Path target) throws IOException {
    String prefix = source.getFileName() == null ? "" : source.getFileName().toString();
    List<String> entries = new ArrayList<>();
    Digester compressedDigest = Digester.sha256();
    Digester tarDigest = Digester.sha256();
    GzipParameters gzip = new GzipParameters();
    gzip.setModificationTime(0);
    try (OutputStream file = Files.newOutputStream(target);
        OutputStream hashing = hashing(file, compressedDigest);
        GzipCompressorOutputStream compressed = new GzipCompressorOutputStream(hashing, gzip);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(
                hashing(compressed, tarDigest), 512, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path path : files) {
        String relative = slashed(source.relativize(path));
        if (engine != GitOpsEngine.ARGOCD) {
          writeFile(tar, path, relative, entries);
        }
        if (engine != GitOpsEngine.FLUX && !prefix.isEmpty()) {
          writeFile(tar, path, prefix + "/" + relative, entries);
        }
      }
    }
    return new Archive(compressedDigest.digest(), tarDigest.digest(), entries);
  }

  private static OutputStream hashing(OutputStream out, Digester digester) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        digester.update(b, off, len);
        out.write(b, off, len);
      }

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }
    };
  }

  private static void writeFile(
      TarArchiveOutputStream tar, Path file, String name, List<String> entries) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setModTime(FileTime.fromMillis(0));
    entry.setIds(0, 0);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setMode(0100644);
    entry.setSize(Files.size(file));
    tar.putArchiveEntry(entry);
    Files.copy(file, tar);
    tar.closeArchiveEntry();
    entries.add(name);
  }

  /**
   * Pushes a bundle: {@code ManifestBundlePublisher <dir> <registry> <repository> <version>
   * [none|flux|argocd]} or {@code ManifestBundlePublisher <dir>
   * oci://host[:port]/repository[/variant]:version [none|flux|argocd]}, with {@code
   * REGISTRY_USERNAME}, {@code REGISTRY_PASSWORD} and {@code STEVEDORE_PLAIN_HTTP=1} (or an {@code
   * http://} registry) from the environment.
   *
   * @param args the arguments
   * @throws IOException if pushing fails
   */
  public static void main(String[] args) throws IOException {
    boolean uri = args.length >= 2 && args[1].startsWith(PublishTarget.SCHEME);
    if (args.length < (uri ? 2 : 4)) {
      System.err.println(
          "usage: ManifestBundlePublisher <dir> <registry> <repository> <version> [none|flux|argocd]\n"
              + "       ManifestBundlePublisher <dir> oci://host[:port]/repository[/variant]:version [none|flux|argocd]");
      System.exit(2);
    }
    try {
      String registry;
      String repository;
      String version;
      int engineArg;
      if (uri) {
        OciReference ref = Objects.requireNonNull(OciReference.parse(args[1]));
        registry = ref.endpoint();
        repository = ref.fullRepository();
        version = ref.ref();
        engineArg = 2;
      } else {
        registry = args[1];
        repository = args[2];
        version = args[3];
        engineArg = 4;
      }
      GitOpsEngine engine =
          args.length > engineArg
              ? GitOpsEngine.valueOf(args[engineArg].toUpperCase(Locale.ROOT))
              : GitOpsEngine.NONE;
      Options options =
          new Options(
              Path.of(args[0]),
              null,
              registry,
              repository,
              version,
              engine,
              System.getenv("REGISTRY_USERNAME"),
              System.getenv("REGISTRY_PASSWORD"),
              Examples.connectionFromEnvironment().transport(),
              null);
      Pushed pushed = push(options);
      System.out.println("pushed " + pushed.files().size() + " entries to " + pushed.reference());
    } catch (ManifestBundleException e) {
      System.err.println(e.problem() + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
