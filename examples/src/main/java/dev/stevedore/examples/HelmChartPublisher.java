package dev.stevedore.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.OciUri;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.Reference;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.content.file.FileStoreOptions;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.copy.CopyOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Example 2, Helm chart publisher: pushes a chart directory the way {@code helm push} does, so that
 * {@code helm pull oci://host/path/<name> --version <version>} accepts it: an OCI manifest whose
 * config is {@value #CONFIG_MEDIA_TYPE} (the chart's metadata from {@code Chart.yaml}, as JSON),
 * whose single layer is {@value #CHART_LAYER_MEDIA_TYPE} (a tar+gzip whose single top directory is
 * the chart's name), tagged with the chart version ({@code +} written {@code _}, as Helm does), in
 * the repository {@code <path>/<chart name>}.
 *
 * <p>When the requested tag differs from the version in {@code Chart.yaml}, the chart is copied and
 * the copy's version is rewritten; the caller's tree is never touched.
 */
public final class HelmChartPublisher {
  /** Helm's config media type. */
  public static final String CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json";

  /** Helm's chart layer media type. */
  public static final String CHART_LAYER_MEDIA_TYPE =
      "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

  /** The fields of Helm's {@code chart.Metadata}, in the order Helm writes them into the config. */
  private static final List<String> METADATA_FIELDS =
      List.of(
          "name",
          "home",
          "sources",
          "version",
          "description",
          "keywords",
          "maintainers",
          "icon",
          "apiVersion",
          "condition",
          "tags",
          "appVersion",
          "deprecated",
          "annotations",
          "kubeVersion",
          "dependencies",
          "type");

  /** SemVer 2, which Helm requires of a chart version. */
  private static final Pattern SEMVER =
      Pattern.compile(
          "^v?(0|[1-9]\\d*)(\\.(0|[1-9]\\d*)){0,2}"
              + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$");

  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build())
          .build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private HelmChartPublisher() {}

  /**
   * What was pushed.
   *
   * @param name the chart name
   * @param version the chart version pushed (possibly rewritten)
   * @param manifest the manifest's descriptor
   * @param reference {@code host/path/name:tag@digest}
   */
  public record PublishedChart(
      String name, String version, Descriptor manifest, Reference reference) {}

  /**
   * Pushes a chart directory.
   *
   * @param chartDirectory the chart (a directory holding {@code Chart.yaml})
   * @param repositoryPath where charts go, {@code host[:port]/path} (the chart name is appended, as
   *     {@code helm push} does)
   * @param tag the tag, or null for the chart version; when it differs from the version, the
   *     version of a copy of the chart is rewritten to it
   * @param created the {@code org.opencontainers.image.created} time, or null for now
   * @param connection how to reach the registry
   * @return what was pushed
   * @throws IllegalArgumentException if Chart.yaml lacks apiVersion, name or version, or a version
   *     is not SemVer
   * @throws java.nio.file.NoSuchFileException if there is no Chart.yaml
   * @throws IOException if packaging or pushing fails
   */
  public static PublishedChart publish(
      Path chartDirectory,
      String repositoryPath,
      @Nullable String tag,
      @Nullable Instant created,
      RegistryConnection connection)
      throws IOException {
    ObjectNode chart = readChart(chartDirectory.resolve("Chart.yaml"));
    String name = required(chart, "name");
    String version = required(chart, "version");
    required(chart, "apiVersion");
    Path scratch = Files.createTempDirectory("stevedore-helm-");
    try {
      Path source = chartDirectory.toAbsolutePath();
      if (tag != null && !tag.equals(tagOf(version))) {
        version = tag.replace('_', '+');
        source = scratch.resolve("chart");
        Trees.copy(chartDirectory, source);
        chart.put("version", version);
        Files.write(source.resolve("Chart.yaml"), YAML.writeValueAsBytes(chart));
      }
      if (!SEMVER.matcher(version).matches()) {
        throw new IllegalArgumentException(
            "chart version \""
                + version
                + "\" is not SemVer 2 (e.g. 1.2.3),"
                + " which Helm requires");
      }
      String pushTag = tagOf(version);
      Reference reference = reference(repositoryPath, name, pushTag);
      MemoryStore staging = new MemoryStore();
      Descriptor manifest = pack(chart, name, source, scratch, created, staging);
      staging.tag(manifest, pushTag);
      try (Repository repository = connection.repository(reference)) {
        Copy.copy(staging, pushTag, repository, pushTag, CopyOptions.defaults());
      }
      return new PublishedChart(
          name,
          version,
          manifest,
          new Reference(reference.registry(), reference.repository(), pushTag, manifest.digest()));
    } finally {
      Trees.deleteRecursively(scratch);
    }
  }

  private static Descriptor pack(
      ObjectNode chart,
      String name,
      Path source,
      Path scratch,
      @Nullable Instant created,
      MemoryStore staging)
      throws IOException {
    byte[] config = JSON.writeValueAsBytes(helmConfig(chart));
    Descriptor configDescriptor = Descriptor.of(CONFIG_MEDIA_TYPE, config);
    staging.push(configDescriptor, new ByteArrayInputStream(config));
    Path work = Files.createDirectories(scratch.resolve("work"));
    Descriptor layer;
    try (FileStore files =
        FileStore.open(work, FileStoreOptions.builder().tarReproducible(true).build())) {
      // The archive's entries are named <name>/..., whatever the directory is called: Helm's rule.
      Descriptor added = files.add(name, CHART_LAYER_MEDIA_TYPE, source);
      layer = added.plain();
      Copy.copyGraph(files, staging, layer, CopyGraphOptions.defaults());
    }
    Map<String, String> annotations = annotations(chart, created);
    // Helm 3.13+ packs as image-spec 1.1 with its config and no artifact type.
    return Packer.packManifest(
        staging,
        PackManifestVersion.V1_1,
        null,
        PackManifestOptions.defaults()
            .withConfig(configDescriptor)
            .withLayers(List.of(layer))
            .withManifestAnnotations(annotations));
  }

  /** The annotation AICR writes its CLI version into. */
  public static final String AICR_VERSION_ANNOTATION = "com.nvidia.aicr.version";

  /**
   * Strict SemVer 2 (major.minor.patch required), as Helm's tag filter ({@code
   * semver.StrictNewVersion}).
   */
  private static final Pattern STRICT_SEMVER =
      Pattern.compile(
          "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(-(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(\\.(0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*)?"
              + "(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$");

  /** The Chart.yaml fields AICR keeps (and writes into the config), in its order. */
  private static final List<String> AICR_CHART_FIELDS =
      List.of("apiVersion", "name", "version", "description", "type", "appVersion");

  /**
   * What {@link #publishToReference} pushed (AICR's {@code PackageAndPushResult}).
   *
   * @param manifest the manifest (media type, digest, size)
   * @param reference {@code registry/repository:tag}
   * @param storePath the OCI layout staged in the output directory ({@code oci-layout-helm})
   * @param chart the chart metadata written (Chart.yaml and config)
   */
  public record ReferencePush(
      Descriptor manifest, String reference, Path storePath, Map<String, String> chart) {
    /** Copies. */
    public ReferencePush {
      chart = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(chart));
    }
  }

  /**
   * Pushes a chart to the reference given, as NVIDIA AICR's {@code PackageAndPushHelmChart} does
   * (where {@link #publish} follows {@code helm push}): the repository is used as given, so the
   * chart name a consumer sees is its last segment ({@link PublishTarget.Remote#chartName()}); the
   * tag must be strict SemVer (a leading {@code v} allowed) because Helm drops other tags; a copy's
   * Chart.yaml is rewritten to AICR's fields with {@code version} = the tag (apiVersion defaulting
   * to v2); the layer is the chart as {@code <name>/...}; the config is those fields as JSON; the
   * manifest is image-spec 1.0 (config media type = Helm's, no artifactType) annotated created =
   * 1970-01-01T00:00:00Z, title, version, vendor NVIDIA, description, and {@value
   * #AICR_VERSION_ANNOTATION}. The chart directory is not modified.
   *
   * @param chartDirectory the chart
   * @param reference {@code oci://registry/repository:tag}
   * @param outputDirectory where the OCI layout {@code oci-layout-helm} is staged
   * @param aicrVersion the tool version for {@value #AICR_VERSION_ANNOTATION}, or null
   * @param connection how to reach the registry
   * @return what was pushed
   * @throws IllegalArgumentException if the tag is not SemVer, or Chart.yaml has no usable name
   * @throws IOException if reading, staging or pushing fails
   */
  public static ReferencePush publishToReference(
      Path chartDirectory,
      PublishTarget.Remote reference,
      Path outputDirectory,
      @Nullable String aicrVersion,
      RegistryConnection connection)
      throws IOException {
    String tag = reference.tag();
    String candidate = tag.startsWith("v") ? tag.substring(1) : tag;
    if (!STRICT_SEMVER.matcher(candidate).matches()) {
      throw new IllegalArgumentException(
          "Helm OCI requires a semver-compatible tag; got \""
              + tag
              + "\". `helm pull`"
              + " / `helm install --version <tag>` drop non-semver tags; wrap an identifier as a pre-release, e.g. 0.0.0-"
              + tag);
    }
    ObjectNode source = readChart(chartDirectory.resolve("Chart.yaml"));
    String name = source.path("name").asText("");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Chart.yaml: name is required");
    }
    if (name.equals(".")
        || name.equals("..")
        || name.chars().anyMatch(c -> c == '/' || c == '\\' || c < 0x20)) {
      throw new IllegalArgumentException(
          "chart name \""
              + name
              + "\" must be a single path segment without /, .."
              + " or control characters");
    }
    ObjectNode chart = JsonNodeFactory.instance.objectNode();
    for (String field : AICR_CHART_FIELDS) {
      String value =
          switch (field) {
            case "version" -> tag;
            case "apiVersion" ->
                source.path(field).asText("").isEmpty() ? "v2" : source.path(field).asText();
            default -> source.path(field).isValueNode() ? source.path(field).asText() : "";
          };
      if (!value.isEmpty()) {
        chart.put(field, value);
      }
    }
    Path scratch = Files.createTempDirectory("stevedore-aicr-helm-");
    try {
      Path work = scratch.resolve("chart");
      Trees.copy(chartDirectory, work);
      Files.write(work.resolve("Chart.yaml"), YAML.writeValueAsBytes(chart));
      Path tgz = scratch.resolve("chart.tgz");
      writeChartArchive(work, name, tgz);
      Path storePath = Files.createDirectories(outputDirectory.resolve("oci-layout-helm"));
      OciLayoutStore store = OciLayoutStore.open(storePath);
      Descriptor layer = Descriptor.of(CHART_LAYER_MEDIA_TYPE, sha256(tgz), Files.size(tgz));
      try (java.io.InputStream in = Files.newInputStream(tgz)) {
        pushIfAbsent(store, layer, in);
      }
      byte[] config = JSON.writeValueAsBytes(chart);
      Descriptor configDescriptor = Descriptor.of(CONFIG_MEDIA_TYPE, config);
      pushIfAbsent(store, configDescriptor, new ByteArrayInputStream(config));
      Map<String, String> annotations = new HashMap<>();
      annotations.put(
          Annotations.CREATED, BundlePublisher.rfc3339(BundlePublisher.REPRODUCIBLE_TIMESTAMP));
      annotations.put(Annotations.TITLE, name);
      annotations.put(Annotations.VERSION, tag);
      annotations.put(Annotations.VENDOR, "NVIDIA");
      if (chart.has("description")) {
        annotations.put(Annotations.DESCRIPTION, chart.get("description").asText());
      }
      if (aicrVersion != null && !aicrVersion.isEmpty()) {
        annotations.put(AICR_VERSION_ANNOTATION, aicrVersion);
      }
      Descriptor manifest =
          Packer.packManifest(
              store,
              PackManifestVersion.V1_0,
              CONFIG_MEDIA_TYPE,
              PackManifestOptions.defaults()
                  .withConfig(configDescriptor)
                  .withLayers(List.of(layer))
                  .withManifestAnnotations(annotations));
      store.tag(manifest, tag);
      BundlePublisher.PushResult pushed =
          BundlePublisher.pushFromStore(storePath, reference, connection);
      Map<String, String> fields = new java.util.LinkedHashMap<>();
      chart.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
      return new ReferencePush(pushed.descriptor(), pushed.reference(), storePath, fields);
    } finally {
      Trees.deleteRecursively(scratch);
    }
  }

  private static Digest sha256(Path file) throws IOException {
    dev.stevedore.content.Digester digester = dev.stevedore.content.Digester.sha256();
    byte[] buffer = new byte[64 * 1024];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digester.update(buffer, 0, n);
      }
    }
    return digester.digest();
  }

  private static void pushIfAbsent(
      dev.stevedore.content.Storage store, Descriptor desc, java.io.InputStream in)
      throws IOException {
    if (!store.exists(desc)) {
      try {
        store.push(desc, in);
      } catch (dev.stevedore.content.AlreadyExistsException e) {
        // there already
      }
    }
  }

  /**
   * The chart as AICR archives it: {@code <name>/<path>} for every directory (with a trailing
   * slash, mode 0755) and regular file (its permission bits), depth first in name order, times
   * zero, no owner names.
   */
  private static void writeChartArchive(Path chart, String name, Path target) throws IOException {
    try (java.io.OutputStream file = Files.newOutputStream(target);
        java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(file);
        org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
            new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                gzip, 512, "UTF-8")) {
      tar.setLongFileMode(
          org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
      writeTree(tar, chart, chart, name);
    }
  }

  private static void writeTree(
      org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar,
      Path root,
      Path dir,
      String name)
      throws IOException {
    List<Path> children;
    try (java.util.stream.Stream<Path> list = Files.list(dir)) {
      children =
          list.sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
    for (Path child : children) {
      String entryName =
          name
              + "/"
              + root.relativize(child)
                  .toString()
                  .replace(child.getFileSystem().getSeparator(), "/");
      org.apache.commons.compress.archivers.tar.TarArchiveEntry entry;
      if (Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(entryName + "/");
        entry.setMode(040755);
      } else if (Files.isRegularFile(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(entryName);
        entry.setMode(0100000 | permissions(child));
        entry.setSize(Files.size(child));
      } else {
        continue;
      }
      entry.setModTime(java.nio.file.attribute.FileTime.fromMillis(0));
      entry.setIds(0, 0);
      entry.setUserName("");
      entry.setGroupName("");
      tar.putArchiveEntry(entry);
      if (entry.isFile()) {
        Files.copy(child, tar);
      }
      tar.closeArchiveEntry();
      if (entry.isDirectory()) {
        writeTree(tar, root, child, name);
      }
    }
  }

  /**
   * The permissions in the order of the mode's bits, from 0400 (owner read) to 0001 (others
   * execute).
   */
  private static final List<PosixFilePermission> MODE_BITS =
      List.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private static int permissions(Path file) {
    try {
      int mode = 0;
      for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
        mode |= 1 << (8 - MODE_BITS.indexOf(p));
      }
      return mode;
    } catch (UnsupportedOperationException | IOException e) {
      return 0644;
    }
  }

  /** Chart.yaml's fields that Helm's {@code chart.Metadata} knows, in its order. */
  static ObjectNode helmConfig(ObjectNode chart) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    for (String field : METADATA_FIELDS) {
      JsonNode value = chart.get(field);
      if (value == null || value.isNull() || (value.isContainerNode() && value.isEmpty())) {
        continue;
      }
      // YAML reads "version: 1.0" as a number; Helm's metadata fields are strings (deprecated
      // aside).
      boolean text = value.isValueNode() && !"deprecated".equals(field);
      config.set(field, text ? JsonNodeFactory.instance.textNode(value.asText()) : value);
    }
    return config;
  }

  /** The manifest annotations {@code helm push} writes. */
  private static Map<String, String> annotations(ObjectNode chart, @Nullable Instant created) {
    Map<String, String> annotations = new HashMap<>();
    JsonNode chartAnnotations = chart.path("annotations");
    chartAnnotations.properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    annotations.put(Annotations.TITLE, chart.path("name").asText());
    annotations.put(Annotations.VERSION, chart.path("version").asText());
    putText(annotations, Annotations.DESCRIPTION, chart.path("description"));
    putText(annotations, Annotations.URL, chart.path("home"));
    putText(annotations, Annotations.SOURCE, chart.path("sources").path(0));
    List<String> authors = new ArrayList<>();
    for (JsonNode maintainer : chart.path("maintainers")) {
      String author = maintainer.path("name").asText("");
      if (!maintainer.path("email").asText("").isEmpty()) {
        author += " (" + maintainer.path("email").asText() + ")";
      }
      authors.add(author);
    }
    if (!authors.isEmpty()) {
      annotations.put(Annotations.AUTHORS, String.join(", ", authors));
    }
    annotations.put(
        Annotations.CREATED, BundlePublisher.rfc3339(created == null ? Instant.now() : created));
    return annotations;
  }

  private static void putText(Map<String, String> annotations, String key, JsonNode value) {
    if (value.isValueNode() && !value.asText().isEmpty()) {
      annotations.put(key, value.asText());
    }
  }

  private static ObjectNode readChart(Path chartYaml) throws IOException {
    if (!Files.isRegularFile(chartYaml)) {
      throw new java.nio.file.NoSuchFileException(
          chartYaml.toString(),
          null,
          "not a Helm chart: Chart.yaml is missing; give the chart's directory");
    }
    JsonNode node = YAML.readTree(chartYaml.toFile());
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException(chartYaml + ": not a YAML mapping");
    }
    return object;
  }

  private static String required(ObjectNode chart, String field) {
    String value = chart.path(field).asText("");
    if (value.isEmpty()) {
      throw new IllegalArgumentException(
          "Chart.yaml has no " + field + "; Helm requires apiVersion, name and version");
    }
    return value;
  }

  /** Helm writes a version's {@code +} as {@code _} in a tag, which may not hold a {@code +}. */
  static String tagOf(String version) {
    return version.replace('+', '_');
  }

  private static Reference reference(String repositoryPath, String name, String tag)
      throws InvalidReferenceException {
    String base =
        repositoryPath.startsWith("oci://")
            ? repositoryPath.substring("oci://".length())
            : repositoryPath;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String full = base + "/" + name;
    Reference parsed = Reference.parse(full);
    return new Reference(parsed.registry(), parsed.repository(), tag, null);
  }

  /**
   * Pushes a chart: {@code HelmChartPublisher <chart-dir> <host[:port]/path> [tag]} as {@code helm
   * push} does, or {@code HelmChartPublisher <chart-dir> oci://host[:port]/repository:tag
   * [output-dir]} to that reference as AICR does. Set {@code STEVEDORE_PLAIN_HTTP=1} for a
   * plain-HTTP registry.
   *
   * @param args the arguments
   * @throws IOException if pushing fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println(
          "usage: HelmChartPublisher <chart-dir> <host[:port]/path> [tag]\n"
              + "       HelmChartPublisher <chart-dir> oci://host[:port]/repository:tag [output-dir]");
      System.exit(2);
    }
    if (OciUri.hasScheme(args[1])
        && PublishTarget.parse(args[1], "latest") instanceof PublishTarget.Remote remote
        && args[1].lastIndexOf(':') > args[1].lastIndexOf('/')) {
      Path output = Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir"));
      ReferencePush pushed =
          publishToReference(
              Path.of(args[0]), remote, output, null, Examples.connectionFromEnvironment());
      System.out.println(
          "pushed "
              + pushed.reference()
              + " "
              + pushed.manifest().digest()
              + " (chart "
              + remote.chartName()
              + ")");
      return;
    }
    PublishedChart published =
        publish(
            Path.of(args[0]),
            args[1],
            args.length > 2 ? args[2] : null,
            null,
            Examples.connectionFromEnvironment());
    System.out.println(
        "pushed " + published.name() + " " + published.version() + " to " + published.reference());
    System.out.println(
        "helm pull oci://"
            + published.reference().registry()
            + "/"
            + published.reference().repository()
            + " --version "
            + published.version());
  }
}
