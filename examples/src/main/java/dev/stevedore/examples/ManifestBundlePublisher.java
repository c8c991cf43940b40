package dev.stevedore.examples;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Digester;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.Reference;
import dev.stevedore.content.remote.AuthenticationException;
import dev.stevedore.content.remote.Registry;
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
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.jspecify.annotations.Nullable;

/**
 * Example 3, Kubernetes manifest bundle: collects the {@code .yaml}, {@code .yml} and {@code .json}
 * files of a directory (recursively) into one reproducible tar+gzip layer — at the archive's root,
 * under a prefix directory, or both — and pushes it with basic auth. Options are validated first,
 * then registry access is checked (ping, then an upload of the two-byte empty config blob, which
 * proves push permission), so that every failure is one {@link ManifestBundleException.Problem} with a
 * message that says what to do.
 */
public final class ManifestBundlePublisher {
  /** The artifact type of a manifest bundle. */
  public static final String ARTIFACT_TYPE = "application/vnd.stevedore.kubernetes.manifests.v1";
  /** The media type of the bundle layer. */
  public static final String LAYER_MEDIA_TYPE = MediaTypes.OCI_LAYER_GZIP;

  private ManifestBundlePublisher() {}

  /** Where the files go in the archive. */
  public enum Placement {
    /** At the archive's root. */
    ROOT,
    /** Under the prefix directory. */
    PREFIX,
    /** Both at the root and under the prefix directory. */
    BOTH
  }

  /**
   * What to push where; validated by {@link ManifestBundlePublisher#validate}, not here, so every
   * problem gets its own error.
   *
   * @param source the directory of manifests, or null
   * @param registry the registry host with optional port, or null
   * @param repository the repository name, or null
   * @param version the tag, or null
   * @param placement where files go in the archive
   * @param prefix the prefix directory name (for {@link Placement#PREFIX} and {@link Placement#BOTH})
   * @param username the basic-auth user, or null for anonymous
   * @param password the basic-auth password, or null
   * @param transport how to reach the registry
   * @param created the creation time annotation, or null for now
   */
  public record Options(@Nullable Path source, @Nullable String registry, @Nullable String repository,
      @Nullable String version, Placement placement, String prefix, @Nullable String username,
      @Nullable String password, RegistryConnection.Transport transport, @Nullable Instant created) {
    /** Checks only what is not user input. */
    public Options {
      Objects.requireNonNull(placement, "placement");
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(transport, "transport");
    }
  }

  /**
   * What was pushed.
   *
   * @param manifest the manifest
   * @param layer the bundle layer
   * @param files the archive entries of the files, in archive order
   * @param reference {@code host/repository:version@digest}
   */
  public record Pushed(Descriptor manifest, Descriptor layer, List<String> files, Reference reference) {
    /** Copies the list. */
    public Pushed {
      files = List.copyOf(files);
    }
  }

  /**
   * Validates, checks access, builds and pushes the bundle.
   *
   * @param options what to push where
   * @return what was pushed
   * @throws ManifestBundleException for each problem of {@link ManifestBundleException.Problem}
   * @throws IOException if reading the files or pushing fails otherwise
   */
  public static Pushed push(Options options) throws IOException {
    Reference reference = validate(options);
    List<Path> manifests = collect(options.source());
    Path scratch = Files.createTempFile("stevedore-manifests-", ".tar.gz");
    try {
      Archive archive = writeArchive(options.source(), manifests, options.placement(), options.prefix(), scratch);
      try (Registry registry = connection(options).registry(reference.registry());
          Repository repository = connection(options).repository(reference)) {
        checkAccess(registry, repository);
        Descriptor layer = Descriptor.of(LAYER_MEDIA_TYPE, archive.digest(), Files.size(scratch))
            .withAnnotations(Map.of(Annotations.TITLE, "manifests.tar.gz"));
        try (InputStream in = Files.newInputStream(scratch)) {
          repository.push(layer, in);
        }
        Instant created = options.created() == null ? Instant.now() : options.created();
        Descriptor manifest = Packer.packManifest(repository, PackManifestVersion.V1_1, ARTIFACT_TYPE,
            PackManifestOptions.defaults().withLayers(List.of(layer)).withManifestAnnotations(Map.of(
                Annotations.CREATED, BundlePublisher.rfc3339(created), Annotations.VERSION, reference.tag())));
        repository.tag(manifest, reference.tag());
        return new Pushed(manifest, layer, archive.entries(),
            new Reference(reference.registry(), reference.repository(), reference.tag(), manifest.digest()));
      }
    } finally {
      Files.deleteIfExists(scratch);
    }
  }

  /**
   * Validates the options, each problem its own error, in the order a user fixes them.
   *
   * @param options the options
   * @return the reference to push to
   * @throws ManifestBundleException if an option is missing or wrong
   */
  public static Reference validate(Options options) throws ManifestBundleException {
    Path source = options.source();
    if (source == null || source.toString().isBlank()) {
      throw problem(ManifestBundleException.Problem.SOURCE_REQUIRED,
          "a source directory is required: give the directory holding the Kubernetes manifests");
    }
    if (!Files.exists(source)) {
      throw problem(ManifestBundleException.Problem.SOURCE_MISSING,
          "source " + source + " does not exist: check the path");
    }
    if (!Files.isDirectory(source)) {
      throw problem(ManifestBundleException.Problem.SOURCE_NOT_A_DIRECTORY,
          "source " + source + " is not a directory: give the directory that holds the manifests, not a file");
    }
    if (options.registry() == null || options.registry().isBlank()) {
      throw problem(ManifestBundleException.Problem.REGISTRY_REQUIRED,
          "a registry is required, e.g. registry.example.com or localhost:5000");
    }
    if (options.repository() == null || !Reference.isValidRepository(options.repository())) {
      throw problem(ManifestBundleException.Problem.REPOSITORY_INVALID, "repository \"" + options.repository()
          + "\" is missing or invalid: use lower-case path components such as team/app-manifests");
    }
    if (options.version() == null || !Reference.isValidTag(options.version())) {
      throw problem(ManifestBundleException.Problem.VERSION_REQUIRED, "version \"" + options.version()
          + "\" is missing or not a valid tag: give one such as 1.4.0 or 2024-06-01");
    }
    try {
      return new Reference(options.registry(), options.repository(), options.version(), null);
    } catch (IllegalArgumentException e) {
      throw new ManifestBundleException(ManifestBundleException.Problem.REGISTRY_REQUIRED,
          "registry \"" + options.registry() + "\" is not a host[:port]: " + e.getMessage(), e);
    }
  }

  /**
   * The manifest files under a directory, sorted by relative path.
   *
   * @param source the directory
   * @return the files
   * @throws ManifestBundleException with {@code NO_MANIFESTS_FOUND} if there are none
   * @throws IOException if the directory cannot be read
   */
  public static List<Path> collect(Path source) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(source)) {
      files = walk.filter(Files::isRegularFile).filter(ManifestBundlePublisher::isManifest)
          .sorted((a, b) -> slashed(source.relativize(a)).compareTo(slashed(source.relativize(b)))).toList();
    }
    if (files.isEmpty()) {
      throw problem(ManifestBundleException.Problem.NO_MANIFESTS_FOUND, "no Kubernetes manifests in " + source
          + ": expected files ending in .yaml, .yml or .json");
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
   * Checks that the registry answers and lets these credentials push here, before anything big is
   * sent: {@code GET /v2/}, then the empty config blob every bundle manifest needs is uploaded
   * (two bytes: a push permission check that leaves nothing stray behind).
   *
   * @param registry the registry
   * @param repository the repository
   * @throws ManifestBundleException with the problem found
   */
  public static void checkAccess(Registry registry, Repository repository) throws ManifestBundleException {
    String where = repository.registry() + "/" + repository.name();
    try {
      registry.ping();
      // Always uploaded, even when present: an upload is what proves push permission.
      repository.push(MediaTypes.EMPTY_JSON, new ByteArrayInputStream(MediaTypes.emptyJsonBytes()));
    } catch (AlreadyExistsException e) {
      // pushed concurrently: access is fine
    } catch (AuthenticationException e) {
      throw switch (e.reason()) {
        case CREDENTIALS_REQUIRED -> new ManifestBundleException(ManifestBundleException.Problem.AUTHENTICATION_REQUIRED,
            "registry " + e.registry() + " requires authentication: give a username and password", e);
        case CREDENTIALS_REJECTED -> new ManifestBundleException(ManifestBundleException.Problem.CREDENTIALS_REJECTED,
            "registry " + e.registry() + " rejected the credentials: check the username and password", e);
        case ACCESS_DENIED -> new ManifestBundleException(ManifestBundleException.Problem.PERMISSION_DENIED,
            "permission denied: these credentials may not push to " + where
                + "; ask for push access to the repository or use another one", e);
      };
    } catch (NotFoundException e) {
      throw repositoryNotFound(where, e);
    } catch (RegistryResponseException e) {
      if (e.statusCode() == 404 || e.hasErrorCode("NAME_UNKNOWN")) {
        throw repositoryNotFound(where, e);
      }
      throw new ManifestBundleException(ManifestBundleException.Problem.REGISTRY_UNREACHABLE,
          "registry " + repository.registry() + " answered " + e.statusCode() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      if (ContentException.is(e, ConnectException.class) || ContentException.is(e, UnknownHostException.class)
          || ContentException.is(e, java.nio.channels.UnresolvedAddressException.class)) {
        throw new ManifestBundleException(ManifestBundleException.Problem.REGISTRY_UNREACHABLE,
            "registry " + repository.registry() + " is unreachable: check the host and port, that it runs,"
                + " and whether it needs plain HTTP", e);
      }
      throw new ManifestBundleException(ManifestBundleException.Problem.REGISTRY_UNREACHABLE,
          "registry " + repository.registry() + " could not be used: " + e.getMessage(), e);
    }
  }

  private static ManifestBundleException repositoryNotFound(String where, Throwable cause) {
    return new ManifestBundleException(ManifestBundleException.Problem.REPOSITORY_NOT_FOUND,
        "repository " + where + " not found: create it in the registry first (registries such as Harbor or ECR"
            + " do not create repositories on push), or check its name", cause);
  }

  private static RegistryConnection connection(Options options) {
    StaticCredentials credentials = options.username() == null
        ? StaticCredentials.of(Map.<String, Credential>of())
        : StaticCredentials.of(Objects.requireNonNull(options.registry()),
            Credential.basic(options.username(), options.password() == null ? "" : options.password()));
    return new RegistryConnection(options.transport(), credentials);
  }

  private static ManifestBundleException problem(ManifestBundleException.Problem problem, String message) {
    return new ManifestBundleException(problem, message, null);
  }

  /** The archive's digest and its file entries. */
  private record Archive(Digest digest, List<String> entries) {}

  /**
   * Writes the tar+gzip: directories and files sorted, times zero, uid/gid 0, mode 0644/0755, gzip
   * header without name or time, so the same files always give the same digest.
   */
  private static Archive writeArchive(Path source, List<Path> files, Placement placement, String prefix, Path target)
      throws IOException {
    String dir = prefix.replaceAll("^/+|/+$", "");
    if ((placement != Placement.ROOT) && (dir.isEmpty() || dir.contains(".."))) {
      throw new IllegalArgumentException("prefix \"" + prefix + "\" must be a plain relative directory name");
    }
    List<String> entries = new java.util.ArrayList<>();
    Digester digester = Digester.sha256();
    GzipParameters gzip = new GzipParameters();
    gzip.setModificationTime(0);
    try (OutputStream file = Files.newOutputStream(target);
        OutputStream hashing = new FilterOutputStream(file) {
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
        GzipCompressorOutputStream compressed = new GzipCompressorOutputStream(hashing, gzip);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      if (placement != Placement.PREFIX) {
        writeTree(tar, source, files, "", entries);
      }
      if (placement != Placement.ROOT) {
        writeTree(tar, source, files, dir + "/", entries);
      }
    }
    return new Archive(digester.digest(), entries);
  }

  private static void writeTree(TarArchiveOutputStream tar, Path source, List<Path> files, String prefix,
      List<String> entries) throws IOException {
    java.util.Set<String> dirs = new java.util.HashSet<>();
    if (!prefix.isEmpty()) {
      writeDirectory(tar, prefix, dirs);
    }
    for (Path file : files) {
      String relative = slashed(source.relativize(file));
      int slash = relative.indexOf('/');
      while (slash >= 0) {
        writeDirectory(tar, prefix + relative.substring(0, slash + 1), dirs);
        slash = relative.indexOf('/', slash + 1);
      }
      TarArchiveEntry entry = new TarArchiveEntry(prefix + relative);
      normalize(entry, 0644);
      entry.setSize(Files.size(file));
      tar.putArchiveEntry(entry);
      Files.copy(file, tar);
      tar.closeArchiveEntry();
      entries.add(prefix + relative);
    }
  }

  private static void writeDirectory(TarArchiveOutputStream tar, String name, java.util.Set<String> written)
      throws IOException {
    if (written.add(name)) {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      normalize(entry, 0755);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    }
  }

  private static void normalize(TarArchiveEntry entry, int mode) {
    entry.setModTime(FileTime.fromMillis(0));
    entry.setIds(0, 0);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setMode((entry.isDirectory() ? 040000 : 0100000) | mode);
  }

  /**
   * Pushes a bundle: {@code ManifestBundlePublisher <dir> <registry> <repository> <version> [root|prefix|both]}
   * with {@code REGISTRY_USERNAME}, {@code REGISTRY_PASSWORD} and {@code STEVEDORE_PLAIN_HTTP=1} from the environment.
   *
   * @param args the arguments
   * @throws IOException if pushing fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: ManifestBundlePublisher <dir> <registry> <repository> <version> [root|prefix|both]");
      System.exit(2);
    }
    Placement placement = args.length > 4 ? Placement.valueOf(args[4].toUpperCase(Locale.ROOT)) : Placement.ROOT;
    Options options = new Options(Path.of(args[0]), args[1], args[2], args[3], placement, "manifests",
        System.getenv("REGISTRY_USERNAME"), System.getenv("REGISTRY_PASSWORD"),
        Examples.connectionFromEnvironment().transport(), null);
    try {
      Pushed pushed = push(options);
      System.out.println("pushed " + pushed.files().size() + " files to " + pushed.reference());
    } catch (ManifestBundleException e) {
      System.err.println(e.problem() + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
