package dev.stevedore.examples;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Storage;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.remote.Repository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Example 5, file transport over a registry in the DockerComms v1.0 format, so that a Java program
 * and the Go {@code dockercomms} client read each other's artifacts: a message is a manifest of
 * artifact type {@value #MESSAGE_TYPE} whose layers are chunks of the file, each a tar with the
 * single entry {@code chunk_<index>.bin}, gzip- or zstd-compressed ({@value #CHUNK_GZIP}, {@value
 * #CHUNK_ZSTD}), annotated {@value #CHUNK_INDEX}; a receipt ({@value #RECEIPT_TYPE}) is a
 * layer-less manifest naming the message in {@value #RECEIPT_FOR}; a Sigstore bundle ({@value
 * #BUNDLE_TYPE}) is a referrer of the message. Every manifest has the empty config written exactly
 * as the seed writes it ({@link #EMPTY_CONFIG}: media type, digest and size, no {@code data}) and
 * no {@code mediaType} field, so manifests are byte-identical to the Go client's for the same
 * annotations and layers.
 *
 * <p>Tags: messages {@code inbox-<recipient tag>-<YYYYMMDD>-<sid8>-<mid8>} (see {@link
 * #recipientTag}), receipts {@code receipt-<hex12>-<unix seconds>-<rand6>}, bundles {@code
 * bundle-<hex12>-<unix seconds>-<rand6>}, where {@code hex12} is the first 12 hex digits of the
 * message digest.
 */
public final class RegistryMessaging {
  /** Artifact type of a message. */
  public static final String MESSAGE_TYPE = "application/vnd.dockercomms.message.v1";

  /** Artifact type of a receipt. */
  public static final String RECEIPT_TYPE = "application/vnd.dockercomms.receipt.v1";

  /** Artifact type of a Sigstore bundle attached to a message (and its layer's media type). */
  public static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  /**
   * The seed's bundle config media type: declared equal to {@link #BUNDLE_TYPE}; its manifests
   * still use {@link #EMPTY_CONFIG}.
   */
  public static final String BUNDLE_CONFIG_MEDIA_TYPE = BUNDLE_TYPE;

  /** Media type of a gzip chunk layer. */
  public static final String CHUNK_GZIP = "application/vnd.dockercomms.chunk.v1.tar+gzip";

  /** Media type of a zstd chunk layer. */
  public static final String CHUNK_ZSTD = "application/vnd.dockercomms.chunk.v1.tar+zstd";

  /** Media type of every DockerComms manifest (the OCI image manifest). */
  public static final String MANIFEST_MEDIA_TYPE = MediaTypes.OCI_MANIFEST;

  /**
   * The empty config descriptor as the seed writes it: {@code
   * {"mediaType":"application/vnd.oci.empty.v1+json", "digest":"sha256:44136fa3…","size":2}},
   * without the {@code data} field {@link MediaTypes#EMPTY_JSON} has.
   */
  public static final Descriptor EMPTY_CONFIG =
      Descriptor.of(MediaTypes.OCI_EMPTY, MediaTypes.EMPTY_JSON.digest(), 2);

  /** Protocol version annotation, always {@value #PROTOCOL_VERSION}. */
  public static final String VERSION = "dockercomms.version";

  /** The protocol version written. */
  public static final String PROTOCOL_VERSION = "1.0";

  /** Annotation naming the sender. */
  public static final String SENDER = "dockercomms.sender";

  /** Annotation naming the recipient. */
  public static final String RECIPIENT = "dockercomms.recipient";

  /** Creation time, RFC 3339 in UTC, seconds. */
  public static final String CREATED_AT = "dockercomms.created_at";

  /** Time to live in seconds. */
  public static final String TTL_SECONDS = "dockercomms.ttl_seconds";

  /** The file's base name. */
  public static final String FILENAME = "dockercomms.filename";

  /** The file's size. */
  public static final String TOTAL_BYTES = "dockercomms.total_bytes";

  /** The chunk size used (the file size when smaller). */
  public static final String CHUNK_BYTES = "dockercomms.chunk_bytes";

  /** The number of chunks. */
  public static final String CHUNK_COUNT = "dockercomms.chunk_count";

  /** {@code gzip} or {@code zstd}. */
  public static final String COMPRESSION = "dockercomms.compression";

  /** The message id, a UUID (messages only). */
  public static final String MESSAGE_ID = "dockercomms.message.id";

  /** On a receipt: the full digest of the message. */
  public static final String RECEIPT_FOR = "dockercomms.receipt.for";

  /** On a receipt: {@code accepted} or {@code rejected}. */
  public static final String RECEIPT_STATUS = "dockercomms.receipt.status";

  /** On a receipt: {@code true} or {@code false}. */
  public static final String RECEIPT_VERIFIED = "dockercomms.receipt.verified";

  /** On a receipt: why, optional. */
  public static final String RECEIPT_REASON = "dockercomms.receipt.reason";

  /** On a chunk layer: its index, 0 to N-1. */
  public static final String CHUNK_INDEX = "dockercomms.chunk.index";

  /** The seed's default chunk size: 100 MiB. */
  public static final long DEFAULT_CHUNK_BYTES = 104_857_600L;

  /** The seed's limit on chunks per message. */
  public static final int MAX_CHUNKS = 10_000;

  /** The time to live a receipt gets when the message has none. */
  public static final int DEFAULT_TTL_SECONDS = 604_800;

  private static final Pattern CHUNK_ENTRY = Pattern.compile("^chunk_\\d+\\.bin$");
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RegistryMessaging() {}

  /** How chunks are compressed. */
  public enum Compression {
    /** gzip, the default. */
    GZIP("gzip", CHUNK_GZIP),
    /** Zstandard. */
    ZSTD("zstd", CHUNK_ZSTD);

    private final String annotation;
    private final String mediaType;

    Compression(String annotation, String mediaType) {
      this.annotation = annotation;
      this.mediaType = mediaType;
    }

    /**
     * The value of the {@value RegistryMessaging#COMPRESSION} annotation.
     *
     * @return {@code gzip} or {@code zstd}
     */
    public String annotation() {
      return annotation;
    }

    /**
     * The media type of a chunk compressed this way.
     *
     * @return the media type
     */
    public String mediaType() {
      return mediaType;
    }

    /** As the seed reads a chunk: zstd for the zstd type, gzip for anything else. */
    static Compression ofLayer(String mediaType) {
      return CHUNK_ZSTD.equals(mediaType) ? ZSTD : GZIP;
    }
  }

  /**
   * A manifest built but not pushed, as the seed's {@code ManifestBuilder.Build} returns it.
   *
   * @param json the manifest bytes
   * @param descriptor media type, digest and size (nothing else, as the seed's)
   */
  // the bytes stay an array (they are pushed as is); the record copies them in and out
  @SuppressWarnings("ArrayRecordComponent")
  public record BuiltManifest(byte[] json, Descriptor descriptor) {
    /** Copies the bytes. */
    public BuiltManifest {
      json = json.clone();
      Objects.requireNonNull(descriptor, "descriptor");
    }

    /**
     * The manifest bytes, a copy.
     *
     * @return the JSON
     */
    @Override
    public byte[] json() {
      return json.clone();
    }
  }

  /**
   * Builds DockerComms manifests: schema 2, no {@code mediaType} field, the artifact type, {@link
   * #EMPTY_CONFIG}, the layers ({@code null} in JSON when there are none given, as a receipt's),
   * the subject, the annotations.
   *
   * @param artifactType the artifact type
   * @param subject the subject, or null
   * @param annotations the manifest annotations
   * @param layers the layers, or null for none ({@code "layers":null}, the seed's receipt)
   */
  public record ManifestBuilder(
      String artifactType,
      @Nullable Descriptor subject,
      Map<String, String> annotations,
      @Nullable List<Descriptor> layers) {
    /** Copies. */
    public ManifestBuilder {
      Objects.requireNonNull(artifactType, "artifactType");
      annotations = Map.copyOf(annotations);
      layers = layers == null ? null : List.copyOf(layers);
    }

    /**
     * A message: the chunk layers, no subject.
     *
     * @param annotations the message annotations
     * @param layers the chunk layers, in order
     * @return the builder
     */
    public static ManifestBuilder message(
        Map<String, String> annotations, List<Descriptor> layers) {
      return new ManifestBuilder(MESSAGE_TYPE, null, annotations, layers);
    }

    /**
     * A receipt: no layers, no subject.
     *
     * @param annotations the receipt annotations
     * @return the builder
     */
    public static ManifestBuilder receipt(Map<String, String> annotations) {
      return new ManifestBuilder(RECEIPT_TYPE, null, annotations, null);
    }

    /**
     * A bundle: one layer, the message as subject (its media type set to the manifest type, as the
     * seed does).
     *
     * @param subject the message's descriptor
     * @param annotations the bundle's annotations
     * @param layer the bundle blob
     * @return the builder
     */
    public static ManifestBuilder bundle(
        Descriptor subject, Map<String, String> annotations, Descriptor layer) {
      return new ManifestBuilder(
          BUNDLE_TYPE, subject.withMediaType(MANIFEST_MEDIA_TYPE), annotations, List.of(layer));
    }

    /**
     * The manifest's bytes and descriptor; nothing is pushed.
     *
     * @return the built manifest
     */
    public BuiltManifest build() {
      Manifest manifest =
          new Manifest(
              2,
              null,
              artifactType,
              EMPTY_CONFIG,
              layers == null ? List.of() : layers,
              subject,
              annotations);
      byte[] json = manifest.toJson();
      if (layers == null) {
        // Go writes a nil slice as null; Manifest writes [] (the only unescaped occurrence of this
        // text).
        String text = new String(json, StandardCharsets.UTF_8);
        json =
            text.replaceFirst(Pattern.quote(",\"layers\":[]"), ",\"layers\":null")
                .getBytes(StandardCharsets.UTF_8);
      }
      return new BuiltManifest(json, Descriptor.of(MANIFEST_MEDIA_TYPE, json));
    }
  }

  /**
   * What to send.
   *
   * @param recipient the recipient's identity
   * @param sender the sender's identity, or null for {@code unknown}
   * @param sessionId the session id, or null for a new UUID
   * @param messageId the message id, or null for a new UUID
   * @param chunkBytes the largest chunk (uncompressed), or 0 for {@link #DEFAULT_CHUNK_BYTES}
   * @param compression chunk compression
   * @param ttlSeconds the time to live written
   * @param now the send time (created_at, the tag's day)
   */
  public record SendOptions(
      String recipient,
      @Nullable String sender,
      @Nullable String sessionId,
      @Nullable String messageId,
      long chunkBytes,
      Compression compression,
      int ttlSeconds,
      Instant now) {
    /** Validates. */
    public SendOptions {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(compression, "compression");
      Objects.requireNonNull(now, "now");
      if (chunkBytes < 0) {
        throw new IllegalArgumentException("chunk size must not be negative: " + chunkBytes);
      }
    }

    /**
     * The seed's defaults: gzip, 100 MiB chunks, TTL 0, sender unknown, new ids, now.
     *
     * @param recipient the recipient
     * @return the options
     */
    public static SendOptions to(String recipient) {
      return new SendOptions(recipient, null, null, null, 0, Compression.GZIP, 0, Instant.now());
    }
  }

  /**
   * A sent message.
   *
   * @param manifest the message manifest's descriptor
   * @param tag its tag
   * @param messageId its id
   */
  public record Sent(Descriptor manifest, String tag, String messageId) {}

  /**
   * A message found in an inbox.
   *
   * @param tag its tag
   * @param manifest its descriptor
   * @param layers its chunk layers
   * @param annotations its annotations
   */
  public record Message(
      String tag, Descriptor manifest, List<Descriptor> layers, Map<String, String> annotations) {
    /** Copies. */
    public Message {
      layers = List.copyOf(layers);
      annotations = Map.copyOf(annotations);
    }

    /**
     * The file name, sanitized to a base name.
     *
     * @return the name
     */
    public String filename() {
      return sanitizeFilename(annotations.getOrDefault(FILENAME, "message"));
    }
  }

  /**
   * The recipient's tag token: lower-case unpadded base32hex of the SHA-256 of the identity, first
   * 26 characters.
   *
   * @param recipient the identity
   * @return 26 characters of {@code [0-9a-v]}
   */
  public static String recipientTag(String recipient) {
    byte[] hash = sha256(recipient.getBytes(StandardCharsets.UTF_8));
    String alphabet = "0123456789abcdefghijklmnopqrstuv";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : hash) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    return out.substring(0, 26);
  }

  /**
   * The first 12 hex digits of a digest, without its algorithm.
   *
   * @param digest e.g. {@code sha256:...}
   * @return 12 characters (fewer for a shorter value)
   */
  public static String hexDigest12(String digest) {
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  /**
   * A message tag: {@code inbox-<recipientTag>-<YYYYMMDD>-<sid8>-<mid8>}.
   *
   * @param recipient the recipient
   * @param day the send time (its UTC day)
   * @param sessionId the session id
   * @param messageId the message id
   * @return the tag
   */
  public static String messageTag(
      String recipient, Instant day, String sessionId, String messageId) {
    return "inbox-"
        + recipientTag(recipient)
        + "-"
        + DAY.format(day)
        + "-"
        + truncate(sessionId, 8)
        + "-"
        + truncate(messageId, 8);
  }

  /**
   * Pushes the canonical empty config blob {@code {}} unless the storage has it.
   *
   * @param storage the storage
   * @throws IOException if the check or the push fails
   */
  public static void ensureEmptyConfig(Storage storage) throws IOException {
    pushBlob(storage, EMPTY_CONFIG, MediaTypes.emptyJsonBytes());
  }

  /**
   * Pushes a blob unless the storage has it (the seed's resume rule).
   *
   * @param storage the storage
   * @param blob the blob's descriptor
   * @param content its bytes
   * @return true when it was pushed, false when it was there
   * @throws IOException if the check or the push fails
   */
  public static boolean pushBlob(Storage storage, Descriptor blob, byte[] content)
      throws IOException {
    if (storage.exists(blob)) {
      return false;
    }
    try {
      storage.push(blob, new ByteArrayInputStream(content));
      return true;
    } catch (AlreadyExistsException e) {
      return false;
    }
  }

  private static void pushBlob(Storage storage, Descriptor blob, Path content) throws IOException {
    if (storage.exists(blob)) {
      return;
    }
    try (InputStream in = Files.newInputStream(content)) {
      storage.push(blob, in);
    } catch (AlreadyExistsException e) {
      // pushed concurrently
    }
  }

  /**
   * Pushes a built manifest under a tag.
   *
   * @param repository the repository
   * @param manifest the manifest
   * @param tag the tag
   * @throws IOException if the push fails
   */
  public static void pushManifest(Repository repository, BuiltManifest manifest, String tag)
      throws IOException {
    repository.pushReference(manifest.descriptor(), new ByteArrayInputStream(manifest.json()), tag);
  }

  /**
   * Splits a file into chunk layers as the seed does: each chunk a tar holding {@code
   * chunk_<index>.bin} (mode 0644), compressed, annotated with its index. A file of 0 bytes has no
   * chunks.
   *
   * @param file the file
   * @param chunkBytes the largest chunk, or 0 for the default
   * @param compression the compression
   * @param sink receives each chunk's descriptor and a file holding it (overwritten by the next
   *     chunk), in order
   * @return the descriptors
   * @throws IOException if reading or the sink fails, or the file needs more than {@link
   *     #MAX_CHUNKS} chunks
   */
  static List<Descriptor> chunk(Path file, long chunkBytes, Compression compression, ChunkSink sink)
      throws IOException {
    long size = chunkBytes <= 0 ? DEFAULT_CHUNK_BYTES : chunkBytes;
    long total = Files.size(file);
    if ((total + size - 1) / size > MAX_CHUNKS) {
      throw new IOException(
          file
              + " needs more than "
              + MAX_CHUNKS
              + " chunks of "
              + size
              + " bytes; give a larger chunk size");
    }
    List<Descriptor> layers = new ArrayList<>();
    Path scratch = Files.createTempFile("dockercomms-chunk-", ".tar");
    try (InputStream in = Files.newInputStream(file)) {
      long remaining = total;
      for (int index = 0; remaining > 0; index++) {
        long length = Math.min(size, remaining);
        Descriptor layer =
            writeChunk(in, index, length, compression, scratch)
                .withAnnotations(Map.of(CHUNK_INDEX, Integer.toString(index)));
        sink.accept(layer, scratch);
        layers.add(layer);
        remaining -= length;
      }
    } finally {
      Files.deleteIfExists(scratch);
    }
    return layers;
  }

  /**
   * Streams {@code length} bytes of the input as a compressed one-entry tar into the file; returns
   * its descriptor.
   */
  private static Descriptor writeChunk(
      InputStream in, int index, long length, Compression compression, Path target)
      throws IOException {
    dev.stevedore.content.Digester digester = dev.stevedore.content.Digester.sha256();
    try (OutputStream file = Files.newOutputStream(target);
        OutputStream hashing =
            new java.io.FilterOutputStream(file) {
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
        OutputStream compressed =
            compression == Compression.GZIP
                ? new GZIPOutputStream(hashing)
                : new ZstdOutputStream(hashing);
        // 512-byte records: two zero blocks at the end, as Go's archive/tar writes, no padding to
        // 10 KiB.
        TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, 512)) {
      TarArchiveEntry entry = new TarArchiveEntry("chunk_" + index + ".bin");
      entry.setMode(0100644);
      entry.setSize(length);
      entry.setModTime(0);
      tar.putArchiveEntry(entry);
      long copied = copy(in, tar, length);
      if (copied != length) {
        throw new IOException(
            "the file shrank while it was read: chunk "
                + index
                + " got "
                + copied
                + " of "
                + length
                + " bytes");
      }
      tar.closeArchiveEntry();
    }
    return Descriptor.of(compression.mediaType(), digester.digest(), Files.size(target));
  }

  private static long copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    while (copied < length) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      copied += n;
    }
    return copied;
  }

  /** Receives chunks. */
  @FunctionalInterface
  interface ChunkSink {
    void accept(Descriptor layer, Path content) throws IOException;
  }

  /**
   * Sends a file: ensures the empty config, pushes the chunks that are not there yet, and pushes
   * the message manifest under its inbox tag.
   *
   * @param repository the mailbox repository
   * @param file the file
   * @param options recipient, sender and the rest
   * @return the message
   * @throws IOException if reading or a push fails
   */
  public static Sent send(Repository repository, Path file, SendOptions options)
      throws IOException {
    String messageId =
        options.messageId() == null ? UUID.randomUUID().toString() : options.messageId();
    String sessionId =
        options.sessionId() == null ? UUID.randomUUID().toString() : options.sessionId();
    ensureEmptyConfig(repository);
    List<Descriptor> layers =
        chunk(
            file,
            options.chunkBytes(),
            options.compression(),
            (layer, content) -> pushBlob(repository, layer, content));
    long total = Files.size(file);
    long requested = options.chunkBytes();
    long chunkBytes = total < requested ? total : requested;
    Map<String, String> annotations = new HashMap<>();
    annotations.put(VERSION, PROTOCOL_VERSION);
    annotations.put(
        SENDER,
        options.sender() == null || options.sender().isEmpty() ? "unknown" : options.sender());
    annotations.put(RECIPIENT, options.recipient());
    annotations.put(CREATED_AT, BundlePublisher.rfc3339(options.now()));
    annotations.put(TTL_SECONDS, Integer.toString(options.ttlSeconds()));
    annotations.put(MESSAGE_ID, messageId);
    annotations.put(FILENAME, sanitizeFilename(file.getFileName().toString()));
    annotations.put(TOTAL_BYTES, Long.toString(total));
    annotations.put(CHUNK_BYTES, Long.toString(chunkBytes));
    annotations.put(CHUNK_COUNT, Integer.toString(layers.size()));
    annotations.put(COMPRESSION, options.compression().annotation());
    BuiltManifest manifest = ManifestBuilder.message(annotations, layers).build();
    String tag = messageTag(options.recipient(), options.now(), sessionId, messageId);
    pushManifest(repository, manifest, tag);
    return new Sent(manifest.descriptor(), tag, messageId);
  }

  /**
   * The messages for a recipient: manifests tagged {@code inbox-<recipientTag>-}, each message id
   * once, whose recipient annotation is the recipient, at most {@code max}.
   *
   * @param repository the mailbox
   * @param me the recipient
   * @param max at most this many
   * @return the messages, in tag order
   * @throws IOException if listing fails
   */
  public static List<Message> inbox(Repository repository, String me, int max) throws IOException {
    String prefix = "inbox-" + recipientTag(me) + "-";
    List<String> tags = new ArrayList<>();
    repository.tags(
        null, page -> page.stream().filter(t -> t.startsWith(prefix)).forEach(tags::add));
    Set<String> seen = new HashSet<>();
    List<Message> messages = new ArrayList<>();
    for (String tag : tags) {
      if (messages.size() >= max) {
        break;
      }
      FetchedManifest fetched;
      try {
        fetched = fetchManifest(repository, tag);
      } catch (IOException e) {
        continue; // the seed skips what it cannot read
      }
      String id = fetched.manifest().annotations().get(MESSAGE_ID);
      if (id == null
          || id.isEmpty()
          || !seen.add(id)
          || !me.equals(fetched.manifest().annotations().get(RECIPIENT))) {
        continue;
      }
      messages.add(
          new Message(
              tag,
              fetched.descriptor(),
              fetched.manifest().layers(),
              fetched.manifest().annotations()));
    }
    return messages;
  }

  /**
   * Reassembles a message into a stream: chunks ordered by {@value #CHUNK_INDEX}, each must hold
   * exactly one {@code chunk_<n>.bin} entry; the total must match {@value #TOTAL_BYTES}.
   *
   * @param repository the mailbox
   * @param message the message
   * @param out where the file's bytes go
   * @return the bytes written
   * @throws InvalidDescriptorException if a chunk index is missing, duplicated or malformed, a
   *     chunk is not a one-entry tar, or the total does not match
   * @throws IOException if fetching fails
   */
  public static long reassemble(Repository repository, Message message, OutputStream out)
      throws IOException {
    Map<Integer, Descriptor> byIndex = new HashMap<>();
    for (Descriptor layer : message.layers()) {
      String value = layer.annotation(CHUNK_INDEX);
      if (value == null) {
        throw new InvalidDescriptorException(
            "layer "
                + layer.digest()
                + " of "
                + message.tag()
                + " has no "
                + CHUNK_INDEX
                + " annotation: not a DockerComms chunk");
      }
      try {
        byIndex.put(Integer.parseInt(value.trim()), layer);
      } catch (NumberFormatException e) {
        throw new InvalidDescriptorException(
            "invalid chunk index \"" + value + "\" on " + layer.digest(), e);
      }
    }
    long total = 0;
    for (int i = 0; i < byIndex.size(); i++) {
      Descriptor layer = byIndex.get(i);
      if (layer == null) {
        throw new InvalidDescriptorException(message.tag() + " is missing chunk index " + i);
      }
      try (InputStream blob = repository.fetch(layer)) {
        total += extractChunk(blob, layer, out);
      }
    }
    String expected = message.annotations().get(TOTAL_BYTES);
    if (expected != null && !expected.isEmpty() && total != Long.parseLong(expected)) {
      throw new InvalidDescriptorException(
          "total_bytes mismatch: got " + total + " want " + expected + " for " + message.tag());
    }
    return total;
  }

  /**
   * Reads a message (by tag or digest) completely into memory; for small messages and tests.
   *
   * @param repository the mailbox
   * @param reference the tag or digest
   * @return the file's bytes
   * @throws UnsupportedContentException if the reference is not a message
   * @throws IOException if fetching or reassembling fails
   */
  public static byte[] receive(Repository repository, String reference) throws IOException {
    FetchedManifest fetched = fetchManifest(repository, reference);
    if (!MESSAGE_TYPE.equals(fetched.manifest().artifactType())) {
      throw new UnsupportedContentException(
          reference
              + " is a "
              + fetched.manifest().artifactType()
              + ", not a message ("
              + MESSAGE_TYPE
              + ")");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reassemble(
        repository,
        new Message(
            reference,
            fetched.descriptor(),
            fetched.manifest().layers(),
            fetched.manifest().annotations()),
        out);
    return out.toByteArray();
  }

  /**
   * Writes a receipt for a message, as the seed's receiver does: a layer-less manifest with the
   * message's sender, recipient and TTL, {@value #RECEIPT_FOR} = the message digest, tagged {@code
   * receipt-<hex12>-<unix seconds>-<rand6>}.
   *
   * @param repository the mailbox
   * @param message the message
   * @param accepted accepted or rejected
   * @param verified whether its signature was verified
   * @param reason why, or null
   * @param now the receipt time
   * @return the receipt and its tag
   * @throws IOException if a push fails
   */
  public static Sent acknowledge(
      Repository repository,
      Message message,
      boolean accepted,
      boolean verified,
      @Nullable String reason,
      Instant now)
      throws IOException {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(VERSION, PROTOCOL_VERSION);
    annotations.put(SENDER, message.annotations().getOrDefault(SENDER, ""));
    annotations.put(RECIPIENT, message.annotations().getOrDefault(RECIPIENT, ""));
    annotations.put(CREATED_AT, BundlePublisher.rfc3339(now));
    annotations.put(TTL_SECONDS, message.annotations().getOrDefault(TTL_SECONDS, ""));
    annotations.put(RECEIPT_FOR, message.manifest().digest().toString());
    annotations.put(RECEIPT_STATUS, accepted ? "accepted" : "rejected");
    annotations.put(RECEIPT_VERIFIED, Boolean.toString(verified));
    if (reason != null && !reason.isEmpty()) {
      annotations.put(RECEIPT_REASON, reason);
    }
    BuiltManifest receipt = ManifestBuilder.receipt(annotations).build();
    ensureEmptyConfig(repository);
    String tag =
        "receipt-"
            + hexDigest12(message.manifest().digest().toString())
            + "-"
            + now.getEpochSecond()
            + "-"
            + random6();
    pushManifest(repository, receipt, tag);
    return new Sent(receipt.descriptor(), tag, "");
  }

  /**
   * The receipts of a message: manifests tagged {@code receipt-<hex12>-} whose {@value
   * #RECEIPT_FOR} is its digest.
   *
   * @param repository the mailbox
   * @param message the message's digest
   * @return the receipts' annotations by tag
   * @throws IOException if listing fails
   */
  public static Map<String, Map<String, String>> receipts(Repository repository, Digest message)
      throws IOException {
    String prefix = "receipt-" + hexDigest12(message.toString()) + "-";
    List<String> tags = new ArrayList<>();
    repository.tags(
        null, page -> page.stream().filter(t -> t.startsWith(prefix)).forEach(tags::add));
    Map<String, Map<String, String>> found = new LinkedHashMap<>();
    for (String tag : tags) {
      Manifest receipt = fetchManifest(repository, tag).manifest();
      if (RECEIPT_TYPE.equals(receipt.artifactType())
          && message.toString().equals(receipt.annotations().get(RECEIPT_FOR))) {
        found.put(tag, receipt.annotations());
      }
    }
    return found;
  }

  /**
   * Attaches a Sigstore bundle to a message: the bundle blob ({@value #BUNDLE_TYPE}, pushed unless
   * there), a manifest whose subject is the message, annotated {@code dockercomms.version=1.0},
   * tagged {@code bundle-<hex12>-<unix seconds>-<rand6>}.
   *
   * @param repository the mailbox
   * @param message the message's descriptor
   * @param bundleJson the bundle
   * @param now the attach time
   * @return the bundle manifest and its tag
   * @throws IOException if a push fails
   */
  public static Sent attachBundle(
      Repository repository, Descriptor message, byte[] bundleJson, Instant now)
      throws IOException {
    Descriptor blob = Descriptor.of(BUNDLE_TYPE, bundleJson);
    pushBlob(repository, blob, bundleJson);
    ensureEmptyConfig(repository);
    BuiltManifest bundle =
        ManifestBuilder.bundle(message.plain(), Map.of(VERSION, PROTOCOL_VERSION), blob).build();
    String tag =
        "bundle-"
            + hexDigest12(message.digest().toString())
            + "-"
            + now.getEpochSecond()
            + "-"
            + random6();
    pushManifest(repository, bundle, tag);
    return new Sent(bundle.descriptor(), tag, "");
  }

  /**
   * The bundle of a message, as the seed's verifier finds it: the first referrer of type {@value
   * #BUNDLE_TYPE}, else the first tag starting {@code bundle-<hex12>-}; the bytes of its first
   * layer.
   *
   * @param repository the mailbox
   * @param message the message's digest
   * @return the bundle bytes
   * @throws NotFoundException if there is none
   * @throws IOException if fetching fails
   */
  public static byte[] fetchBundle(Repository repository, Digest message) throws IOException {
    String reference = null;
    try {
      List<Descriptor> referrers =
          repository.listReferrers(Descriptor.of(MANIFEST_MEDIA_TYPE, message, 0), BUNDLE_TYPE);
      if (!referrers.isEmpty()) {
        reference = referrers.get(0).digest().toString();
      }
    } catch (IOException e) {
      // fall back to the tag
    }
    if (reference == null) {
      String prefix = "bundle-" + hexDigest12(message.toString()) + "-";
      reference =
          repository
              .tagStream(null)
              .filter(t -> t.startsWith(prefix))
              .findFirst()
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "no bundle for "
                              + message
                              + ": no referrer of type "
                              + BUNDLE_TYPE
                              + " and no tag "
                              + prefix
                              + "*"));
    }
    Manifest bundle = fetchManifest(repository, reference).manifest();
    if (bundle.layers().isEmpty()) {
      throw new InvalidDescriptorException("bundle manifest " + reference + " has no layers");
    }
    return Contents.fetchAll(
        repository, bundle.layers().get(0), Contents.DEFAULT_MAX_METADATA_BYTES);
  }

  /**
   * Whether the registry serves the OCI referrers API; without it referrers are kept in the
   * referrers tag schema, transparently, and bundles are also found by their {@code bundle-} tag.
   *
   * @param repository the repository
   * @return true when the API is there
   * @throws IOException if the registry cannot be asked
   */
  public static boolean supportsReferrersApi(Repository repository) throws IOException {
    return repository.supportsReferrersApi();
  }

  /**
   * A file name reduced to its base name, as the seed writes and reads {@value #FILENAME}.
   *
   * @param name a path or name
   * @return the base name, or {@code file} for nothing usable
   */
  static String sanitizeFilename(String name) {
    String base = name.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    return base.isEmpty() || base.equals(".") || base.equals("..") ? "file" : base;
  }

  private record FetchedManifest(Descriptor descriptor, Manifest manifest) {}

  private static FetchedManifest fetchManifest(Repository repository, String reference)
      throws IOException {
    try (FetchedReference fetched = repository.fetchReference(reference)) {
      byte[] bytes =
          Contents.readAll(
              fetched.content(), fetched.descriptor(), Contents.DEFAULT_MAX_METADATA_BYTES);
      return new FetchedManifest(fetched.descriptor(), Manifest.parse(bytes));
    }
  }

  private static long extractChunk(InputStream blob, Descriptor layer, OutputStream out)
      throws IOException {
    try (InputStream decompressed =
            Compression.ofLayer(layer.mediaType()) == Compression.ZSTD
                ? new ZstdInputStream(blob)
                : new GZIPInputStream(blob);
        TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
      TarArchiveEntry entry = tar.getNextEntry();
      if (entry == null) {
        throw new InvalidDescriptorException("empty tar chunk " + layer.digest());
      }
      if (!CHUNK_ENTRY.matcher(entry.getName()).matches()) {
        throw new InvalidDescriptorException(
            "unexpected tar entry \""
                + entry.getName()
                + "\" in chunk "
                + layer.digest()
                + "; expected chunk_<index>.bin");
      }
      long n = tar.transferTo(out);
      if (tar.getNextEntry() != null) {
        throw new InvalidDescriptorException("extra tar entry in chunk " + layer.digest());
      }
      return n;
    }
  }

  private static String truncate(String uuid, int n) {
    String s = uuid.replace("-", "");
    return s.length() > n ? s.substring(0, n) : s;
  }

  private static String random6() {
    return truncate(new UUID(RANDOM.nextLong(), RANDOM.nextLong()).toString(), 6);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Sends a file and reads it back: {@code RegistryMessaging <host[:port]/repo> <from> <to> <file>
   * [gzip|zstd]}.
   *
   * @param args the arguments
   * @throws IOException if the registry fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println(
          "usage: RegistryMessaging <host[:port]/repo> <from> <to> <file> [gzip|zstd]");
      System.exit(2);
    }
    Compression compression =
        args.length > 4 ? Compression.valueOf(args[4].toUpperCase(Locale.ROOT)) : Compression.GZIP;
    try (Repository repository =
        Examples.connectionFromEnvironment()
            .repository(dev.stevedore.content.Reference.parse(args[0]))) {
      SendOptions options =
          new SendOptions(args[2], args[1], null, null, 0, compression, 0, Instant.now());
      Sent sent = send(repository, Path.of(args[3]), options);
      System.out.println("sent " + sent.tag() + " " + sent.manifest().digest());
      for (Message message : inbox(repository, args[2], 10)) {
        long n = reassemble(repository, message, OutputStream.nullOutputStream());
        System.out.println(
            "inbox: " + message.tag() + " " + message.filename() + " (" + n + " bytes)");
        Sent receipt = acknowledge(repository, message, true, false, null, Instant.now());
        System.out.println("  receipt " + receipt.tag());
      }
      System.out.println("referrers API: " + supportsReferrersApi(repository));
    } catch (ContentException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}
