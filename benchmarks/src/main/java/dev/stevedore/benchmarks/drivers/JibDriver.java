package dev.stevedore.benchmarks.drivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate.ContentDescriptorTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The jib-core peer: {@link RegistryClient} ({@code checkBlob}, {@code pushBlob} — with a source
 * repository for a cross-repository mount —, {@code pushManifest}, {@code pullManifest}, {@code
 * pullBlob}) driven the way jib's own builder steps drive it: one task per blob on a pool of {@code
 * --concurrency} threads, existence check before each upload.
 *
 * <p>Same command line as the other drivers. jib-core has no OCI layout store, so the layout side
 * is plain file code here (pull: written to a temp file, digest checked against what {@code
 * Blob.writeTo} computed, fsync, atomic rename — the same durability contract as Stevedore's). Exit
 * status 3 means "this tool cannot do that": layout → layout (no registry involved) and image
 * indexes (RegistryClient's {@code OciIndexTemplate} cannot be re-pushed byte-for-byte).
 *
 * <p>Heap: jib's {@link FailoverHttpClient} creates an Apache transport (with its own connection
 * pool) for every request and keeps each one until {@code shutDown()}, so one client used for the
 * 3,000 requests of 1,000 small blobs ran out of a 128 MiB heap (the baseline's "failed" on
 * s4push). The driver therefore gives each blob task its own client and shuts it down when the blob
 * is done; the manifest requests use one more. {@code resolve REF} (a manifest GET, its digest
 * printed) is the start-up probe.
 */
public final class JibDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int UNSUPPORTED = 3;

  private JibDriver() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("resolve")) {
      FailoverHttpClient http = newHttp();
      Remote r = Remote.of(args[1], http);
      System.out.println(r.client.pullManifest(r.tag).getDigest());
      System.exit(0);
    }
    Args a = Args.parse(args);
    ExecutorService pool = Executors.newFixedThreadPool(a.concurrency());
    try {
      copy(a.source(), a.destination(), a.platform(), pool);
    } catch (UnsupportedTransferException e) {
      System.err.println("unsupported: " + e.getMessage());
      System.exit(UNSUPPORTED);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Thrown for a transfer jib-core cannot do (exit status 3 from {@link #main}). */
  public static final class UnsupportedTransferException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedTransferException(String why) {
      super(why);
    }
  }

  /**
   * One copy, as {@code main} does it, for a caller that keeps its thread pool (the in-process
   * set).
   *
   * @param source {@code oci:PATH:tag} or {@code host:port/repo:tag}
   * @param destination the same forms
   * @param platform a platform (unsupported) or null
   * @param pool the transfer threads
   * @throws Exception what jib-core throws; {@link UnsupportedTransferException} for what it cannot
   *     do
   */
  public static void copy(
      String source, String destination, @Nullable String platform, ExecutorService pool)
      throws Exception {
    boolean srcLayout = source.startsWith("oci:");
    boolean dstLayout = destination.startsWith("oci:");
    if (platform != null || (srcLayout && dstLayout)) {
      unsupported("jib-core RegistryClient: no layout-to-layout copy and no platform selection");
    }
    FailoverHttpClient http = newHttp();
    try {
      if (srcLayout) {
        push(Layout.of(source), Remote.of(destination, http), pool);
      } else if (dstLayout) {
        pull(Remote.of(source, http), Layout.of(destination), pool);
      } else {
        copy(Remote.of(source, http), Remote.of(destination, http), pool);
      }
    } finally {
      shutDown(http);
    }
  }

  private static FailoverHttpClient newHttp() {
    return new FailoverHttpClient(true, false, event -> {});
  }

  /**
   * Closes every transport the client made. It drains responses jib left open and can fail on
   * sockets already closed ("Socket closed"): nothing to do about that here.
   */
  private static void shutDown(FailoverHttpClient http) {
    try {
      http.shutDown();
    } catch (IOException | RuntimeException e) {
      // see above
    }
  }

  /** Runs one blob's work with a client of its own, shut down after (see the class comment). */
  private interface BlobWork {
    void run(RegistryClient client) throws Exception;
  }

  private static Future<?> perBlob(ExecutorService pool, Remote remote, BlobWork work) {
    return pool.submit(
        () -> {
          FailoverHttpClient http = newHttp();
          try {
            work.run(remote.withHttp(http).client);
          } finally {
            shutDown(http);
          }
          return null;
        });
  }

  private static void unsupported(String why) {
    throw new UnsupportedTransferException(why);
  }

  /** Layout → registry: check each blob, upload the missing ones, then the manifest. */
  private static void push(Layout src, Remote dst, ExecutorService pool) throws Exception {
    byte[] manifestBytes = src.manifestBytes();
    OciManifestTemplate manifest =
        JsonTemplateMapper.readJson(manifestBytes, OciManifestTemplate.class);
    List<Future<?>> tasks = new ArrayList<>();
    for (ContentDescriptorTemplate blob : blobs(manifest)) {
      tasks.add(
          perBlob(
              pool,
              dst,
              client -> {
                if (client.checkBlob(blob.getDigest()).isEmpty()) {
                  client.pushBlob(
                      blob.getDigest(), Blobs.from(src.blob(blob.getDigest())), null, n -> {});
                }
              }));
    }
    await(tasks);
    pushManifest(dst, manifest, sha256(manifestBytes));
  }

  /** Registry → layout: manifest, then every blob verified and fsync'd. */
  private static void pull(Remote src, Layout dst, ExecutorService pool) throws Exception {
    ManifestAndDigest<ManifestTemplate> pulled = src.client.pullManifest(src.tag);
    OciManifestTemplate manifest = imageManifest(pulled, src);
    Files.createDirectories(dst.blobs());
    List<Future<?>> tasks = new ArrayList<>();
    for (ContentDescriptorTemplate blob : blobs(manifest)) {
      tasks.add(
          perBlob(
              pool,
              src,
              client -> {
                Blob content = client.pullBlob(blob.getDigest(), size -> {}, n -> {});
                dst.write(blob.getDigest(), content);
              }));
    }
    await(tasks);
    byte[] manifestBytes = JsonTemplateMapper.toByteArray(manifest);
    String digest = sha256(manifestBytes);
    if (!digest.equals(pulled.getDigest().toString())) {
      System.err.println(
          "jib: re-serialized manifest "
              + digest
              + " differs from the registry's "
              + pulled.getDigest());
    }
    dst.writeManifest(manifestBytes, digest);
  }

  /** Registry → registry: mount each blob from the source repository (pushBlob with a source). */
  private static void copy(Remote src, Remote dst, ExecutorService pool) throws Exception {
    ManifestAndDigest<ManifestTemplate> pulled = src.client.pullManifest(src.tag);
    OciManifestTemplate manifest = imageManifest(pulled, src);
    boolean sameRegistry = src.host.equals(dst.host);
    List<Future<?>> tasks = new ArrayList<>();
    for (ContentDescriptorTemplate blob : blobs(manifest)) {
      tasks.add(
          perBlob(
              pool,
              dst,
              client -> {
                if (client.checkBlob(blob.getDigest()).isPresent()) {
                  return;
                }
                // Mount when the registry allows it; otherwise the lazy blob streams from the
                // source.
                Blob lazy =
                    new Blob() {
                      @Override
                      public BlobDescriptor writeTo(OutputStream out) throws IOException {
                        return src.client.pullBlob(blob.getDigest(), s -> {}, n -> {}).writeTo(out);
                      }

                      @Override
                      public boolean isRetryable() {
                        return true;
                      }
                    };
                client.pushBlob(
                    blob.getDigest(), lazy, sameRegistry ? src.repository : null, n -> {});
              }));
    }
    await(tasks);
    pushManifest(dst, manifest, pulled.getDigest().toString());
  }

  private static void pushManifest(Remote dst, OciManifestTemplate manifest, String expected)
      throws Exception {
    DescriptorDigest pushed = dst.client.pushManifest(manifest, dst.tag);
    if (!pushed.toString().equals(expected)) {
      System.err.println(
          "jib: pushed manifest " + pushed + " differs from the source manifest " + expected);
    }
  }

  private static OciManifestTemplate imageManifest(
      ManifestAndDigest<ManifestTemplate> pulled, Remote src) {
    if (!(pulled.getManifest() instanceof OciManifestTemplate manifest)) {
      unsupported(
          "jib-core driver: "
              + src.repository
              + ":"
              + src.tag
              + " is a "
              + pulled.getManifest().getClass().getSimpleName()
              + ", not an OCI image manifest");
      throw new AssertionError();
    }
    return manifest;
  }

  private static List<ContentDescriptorTemplate> blobs(OciManifestTemplate manifest) {
    List<ContentDescriptorTemplate> all = new ArrayList<>(manifest.getLayers());
    all.add(manifest.getContainerConfiguration());
    return all;
  }

  private static void await(List<Future<?>> tasks) throws Exception {
    for (Future<?> f : tasks) {
      f.get();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** A {@code host:port/repo:tag} reference and a RegistryClient for its repository. */
  private record Remote(String host, String repository, String tag, RegistryClient client) {
    static Remote of(String ref, FailoverHttpClient http) {
      int slash = ref.indexOf('/');
      int colon = ref.lastIndexOf(':');
      String host = ref.substring(0, slash);
      String repository = ref.substring(slash + 1, colon);
      RegistryClient client =
          RegistryClient.factory(EventHandlers.NONE, host, repository, http).newRegistryClient();
      return new Remote(host, repository, ref.substring(colon + 1), client);
    }

    Remote withHttp(FailoverHttpClient http) {
      return Remote.of(host + "/" + repository + ":" + tag, http);
    }
  }

  /** An OCI image layout directory addressed as {@code oci:PATH:tag}. */
  private record Layout(Path root, String tag) {
    static Layout of(String target) {
      String rest = target.substring("oci:".length());
      int colon = rest.lastIndexOf(':');
      return new Layout(Path.of(rest.substring(0, colon)), rest.substring(colon + 1));
    }

    Path blobs() {
      return root.resolve("blobs/sha256");
    }

    Path blob(DescriptorDigest digest) {
      return blobs().resolve(digest.getHash());
    }

    byte[] manifestBytes() throws IOException {
      JsonNode index = JSON.readTree(root.resolve("index.json").toFile());
      for (JsonNode m : index.path("manifests")) {
        if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
          String digest = m.path("digest").asText();
          if (!m.path("mediaType").asText().endsWith("manifest.v1+json")) {
            unsupported("jib-core driver: " + digest + " is not an image manifest");
          }
          return Files.readAllBytes(blobs().resolve(digest.substring("sha256:".length())));
        }
      }
      throw new IOException(root + ": no manifest tagged " + tag + " in index.json");
    }

    void write(DescriptorDigest digest, Blob content) throws IOException {
      Path tmp = Files.createTempFile(blobs(), ".ingest-", ".tmp");
      try {
        BlobDescriptor written;
        try (OutputStream out = Files.newOutputStream(tmp)) {
          written = content.writeTo(out); // jib closes the stream itself
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        if (!written.getDigest().equals(digest)) {
          throw new IOException(digest + ": content hashed to " + written.getDigest());
        }
        Files.move(
            tmp, blob(digest), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }

    void writeManifest(byte[] bytes, String digest) throws IOException {
      Files.write(blobs().resolve(digest.substring("sha256:".length())), bytes);
      Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      String index =
          "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
              + "\"manifests\":[{\"mediaType\":\""
              + OciManifestTemplate.MANIFEST_MEDIA_TYPE
              + "\",\"digest\":\""
              + digest
              + "\",\"size\":"
              + bytes.length
              + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
              + tag
              + "\"}}]}";
      Files.write(root.resolve("index.json"), index.getBytes(StandardCharsets.UTF_8));
    }
  }
}
