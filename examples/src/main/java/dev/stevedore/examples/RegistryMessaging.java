package dev.stevedore.examples;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Storage;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.remote.Repository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Example 5, messaging over a registry: a message is a config-less manifest of artifact type
 * {@value #MESSAGE_TYPE} whose layers are the body's chunks, each gzip- or zstd-compressed; a
 * receipt is a manifest of type {@value #RECEIPT_TYPE} whose subject is the message; a Sigstore
 * bundle is attached to a message the same way. Receipts and signatures are found by listing the
 * message's referrers with an artifact-type filter — through the referrers API when the registry
 * has it, else through the referrers tag schema, which {@link #supportsReferrersApi} tells apart.
 *
 * <p>Manifests here are written directly, with the empty config {@code {}}: {@link #ensureEmptyConfig}
 * makes sure the registry has that blob before any of them is pushed, since a registry refuses a
 * manifest that names a blob it lacks.
 */
public final class RegistryMessaging {
  /** Artifact type of a message. */
  public static final String MESSAGE_TYPE = "application/vnd.dockercomms.message.v1";
  /** Artifact type of a receipt. */
  public static final String RECEIPT_TYPE = "application/vnd.dockercomms.receipt.v1";
  /** Annotation naming the sender. */
  public static final String SENDER = "com.dockercomms.sender";
  /** Annotation naming the recipient. */
  public static final String RECIPIENT = "com.dockercomms.recipient";
  /** Annotation on a receipt naming who read the message. */
  public static final String READ_BY = "com.dockercomms.read-by";

  private RegistryMessaging() {}

  /** How chunks are compressed. */
  public enum Compression {
    /** gzip. */
    GZIP("application/vnd.dockercomms.message.chunk.v1+gzip"),
    /** Zstandard. */
    ZSTD("application/vnd.dockercomms.message.chunk.v1+zstd");

    private final String mediaType;

    Compression(String mediaType) {
      this.mediaType = mediaType;
    }

    /**
     * The media type of a chunk compressed this way.
     *
     * @return the media type
     */
    public String mediaType() {
      return mediaType;
    }

    static Compression of(String mediaType) throws UnsupportedContentException {
      for (Compression c : values()) {
        if (c.mediaType.equals(mediaType)) {
          return c;
        }
      }
      throw new UnsupportedContentException("unknown message chunk type " + mediaType
          + "; expected " + GZIP.mediaType + " or " + ZSTD.mediaType);
    }
  }

  /**
   * Pushes the empty JSON blob {@code {}} unless the storage has it.
   *
   * @param storage the storage
   * @throws IOException if the check or the push fails
   */
  public static void ensureEmptyConfig(Storage storage) throws IOException {
    if (storage.exists(MediaTypes.EMPTY_JSON)) {
      return;
    }
    try {
      storage.push(MediaTypes.EMPTY_JSON, new ByteArrayInputStream(MediaTypes.emptyJsonBytes()));
    } catch (AlreadyExistsException e) {
      // pushed concurrently
    }
  }

  /**
   * Sends a message: splits the body into chunks, compresses and pushes each as a layer, and pushes
   * the message manifest under a tag.
   *
   * @param repository the mailbox repository
   * @param tag the message's tag, e.g. {@code to-bob-0001}
   * @param from the sender
   * @param to the recipient
   * @param body the body
   * @param chunkSize the largest chunk, uncompressed
   * @param compression how chunks are compressed
   * @param sent the send time, written as the created annotation
   * @return the message manifest's descriptor
   * @throws IOException if a push fails
   */
  public static Descriptor send(Repository repository, String tag, String from, String to, byte[] body, int chunkSize,
      Compression compression, Instant sent) throws IOException {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
    }
    List<Descriptor> layers = new ArrayList<>();
    for (int offset = 0, part = 0; offset < body.length || part == 0; offset += chunkSize, part++) {
      int end = Math.min(body.length, offset + chunkSize);
      byte[] chunk = compress(java.util.Arrays.copyOfRange(body, offset, end), compression);
      Descriptor layer = Descriptor.of(compression.mediaType(), chunk)
          .withAnnotations(Map.of(Annotations.TITLE, "chunk-" + part));
      repository.push(layer, new ByteArrayInputStream(chunk));
      layers.add(layer);
    }
    Map<String, String> annotations = Map.of(SENDER, from, RECIPIENT, to,
        Annotations.CREATED, BundlePublisher.rfc3339(sent));
    return pushManifest(repository, MESSAGE_TYPE, layers, null, annotations, tag);
  }

  /**
   * Reads a message: its chunks, decompressed, in order.
   *
   * @param repository the mailbox
   * @param reference the message's tag or digest
   * @return the body
   * @throws UnsupportedContentException if the reference is not a message
   * @throws IOException if fetching fails
   */
  public static byte[] receive(Repository repository, String reference) throws IOException {
    Manifest manifest;
    try (FetchedReference fetched = repository.fetchReference(reference)) {
      manifest = Manifest.parse(Contents.readAll(fetched.content(), fetched.descriptor(),
          Contents.DEFAULT_MAX_METADATA_BYTES));
    }
    if (!MESSAGE_TYPE.equals(manifest.artifactType())) {
      throw new UnsupportedContentException(reference + " is a " + manifest.artifactType() + ", not a message ("
          + MESSAGE_TYPE + ")");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Descriptor layer : manifest.layers()) {
      Compression compression = Compression.of(layer.mediaType());
      try (InputStream in = decompress(repository.fetch(layer), compression)) {
        in.transferTo(body);
      }
    }
    return body.toByteArray();
  }

  /**
   * Acknowledges a message with a receipt: a config-less manifest whose subject is the message.
   *
   * @param repository the mailbox
   * @param message the message
   * @param reader who read it
   * @param read when
   * @return the receipt's descriptor
   * @throws IOException if the push fails
   */
  public static Descriptor acknowledge(Repository repository, Descriptor message, String reader, Instant read)
      throws IOException {
    return pushManifest(repository, RECEIPT_TYPE, List.of(MediaTypes.EMPTY_JSON), message.plain(),
        Map.of(READ_BY, reader, Annotations.CREATED, BundlePublisher.rfc3339(read)), null);
  }

  /**
   * Attaches a Sigstore bundle to a message, as a referrer with one layer.
   *
   * @param repository the mailbox
   * @param message the message
   * @param bundleJson the bundle
   * @return the referrer's descriptor
   * @throws IOException if a push fails
   */
  public static Descriptor attachSignature(Repository repository, Descriptor message, byte[] bundleJson)
      throws IOException {
    Descriptor layer = Descriptor.of(BundlePublisher.SIGSTORE_BUNDLE, bundleJson);
    repository.push(layer, new ByteArrayInputStream(bundleJson));
    return pushManifest(repository, BundlePublisher.SIGSTORE_BUNDLE, List.of(layer), message.plain(), Map.of(), null);
  }

  /**
   * The referrers of a message: receipts, signatures, or all.
   *
   * @param repository the mailbox
   * @param message the message
   * @param artifactType only this type (e.g. {@link #RECEIPT_TYPE}), or null for all
   * @return the referrers' descriptors
   * @throws IOException if listing fails
   */
  public static List<Descriptor> referrers(Repository repository, Descriptor message, @Nullable String artifactType)
      throws IOException {
    return repository.listReferrers(message, artifactType);
  }

  /**
   * Whether the registry serves the OCI referrers API; when it does not, referrers are kept in the
   * referrers tag schema ({@code sha256-<hex>} index tags), transparently.
   *
   * @param repository the repository
   * @return true when the API is there
   * @throws IOException if the registry cannot be asked
   */
  public static boolean supportsReferrersApi(Repository repository) throws IOException {
    return repository.supportsReferrersApi();
  }

  private static Descriptor pushManifest(Repository repository, String artifactType, List<Descriptor> layers,
      @Nullable Descriptor subject, Map<String, String> annotations, @Nullable String tag) throws IOException {
    // The config (and a receipt's only layer) is the empty blob: the registry must have it first.
    ensureEmptyConfig(repository);
    Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST, artifactType, MediaTypes.EMPTY_JSON, layers, subject,
        new HashMap<>(annotations));
    byte[] json = manifest.toJson();
    Descriptor desc = Descriptor.of(MediaTypes.OCI_MANIFEST, json).withArtifactType(artifactType)
        .withAnnotations(manifest.annotations());
    if (tag == null) {
      repository.push(desc, new ByteArrayInputStream(json));
    } else {
      repository.pushReference(desc, new ByteArrayInputStream(json), tag);
    }
    return desc;
  }

  private static byte[] compress(byte[] chunk, Compression compression) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream compressed = compression == Compression.GZIP ? new GZIPOutputStream(out)
        : new ZstdOutputStream(out)) {
      compressed.write(chunk);
    }
    return out.toByteArray();
  }

  private static InputStream decompress(InputStream in, Compression compression) throws IOException {
    Objects.requireNonNull(in, "in");
    try {
      return compression == Compression.GZIP ? new GZIPInputStream(in) : new ZstdInputStream(in);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * Sends, reads and acknowledges a message:
   * {@code RegistryMessaging <host[:port]/mailbox> <from> <to> <text> [gzip|zstd]}.
   *
   * @param args the arguments
   * @throws IOException if the registry fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: RegistryMessaging <host[:port]/mailbox> <from> <to> <text> [gzip|zstd]");
      System.exit(2);
    }
    Compression compression = args.length > 4 ? Compression.valueOf(args[4].toUpperCase(java.util.Locale.ROOT))
        : Compression.GZIP;
    try (Repository repository = Examples.connectionFromEnvironment()
        .repository(dev.stevedore.content.Reference.parse(args[0]))) {
      String tag = "to-" + args[2] + "-" + Instant.now().getEpochSecond();
      Descriptor message = send(repository, tag, args[1], args[2],
          args[3].getBytes(java.nio.charset.StandardCharsets.UTF_8), 1024, compression, Instant.now());
      System.out.println("sent " + tag + " " + message.digest());
      System.out.println("read: " + new String(receive(repository, tag), java.nio.charset.StandardCharsets.UTF_8));
      acknowledge(repository, message, args[2], Instant.now());
      System.out.println("referrers API: " + supportsReferrersApi(repository));
      System.out.println("receipts: " + referrers(repository, message, RECEIPT_TYPE));
    }
  }
}
