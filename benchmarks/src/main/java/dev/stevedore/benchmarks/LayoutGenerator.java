package dev.stevedore.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.jspecify.annotations.Nullable;

/**
 * Writes the benchmark scenarios' test data as valid OCI image layouts.
 *
 * <p>Every layer is a real {@code tar+gzip} stream: a one-file tar archive whose file is random
 * bytes, wrapped in gzip with {@link Deflater#NO_COMPRESSION} (stored blocks), so it costs no
 * compression time to make, any tool can unpack it, and its {@code diff_id} (the digest of the tar)
 * is real. Data is deterministic for a given seed, so reruns move the same bytes.
 *
 * <pre>
 * java dev.stevedore.benchmarks.LayoutGenerator big   DIR LAYERS LAYER_BYTES
 * java dev.stevedore.benchmarks.LayoutGenerator small DIR LAYERS FILE_BYTES
 * java dev.stevedore.benchmarks.LayoutGenerator multi DIR BASE_BYTES PLATFORM_BYTES
 * </pre>
 *
 * Each layout is tagged {@code latest} (an {@code org.opencontainers.image.ref.name} annotation in
 * {@code index.json}).
 */
public final class LayoutGenerator {
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String INDEX = "application/vnd.oci.image.index.v1+json";
  static final String CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final int BUFFER = 1 << 20;

  private final Path root;

  private LayoutGenerator(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root.resolve("blobs/sha256"));
    Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  /**
   * A descriptor of a written blob, with the digest of its uncompressed tar for layers and, for the
   * big layout's layers, a file name ({@code org.opencontainers.image.title}) that `pull` writes
   * them under.
   */
  record Blob(
      String mediaType, String digest, long size, @Nullable String diffId, @Nullable String title) {
    Blob titled(String fileName) {
      return new Blob(mediaType, digest, size, diffId, fileName);
    }

    String json() {
      return "{\"mediaType\":\""
          + mediaType
          + "\",\"digest\":\""
          + digest
          + "\",\"size\":"
          + size
          + (title == null
              ? ""
              : ",\"annotations\":{\"org.opencontainers.image.title\":\"" + title + "\"}")
          + "}";
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: LayoutGenerator big|small|multi|many DIR N BYTES");
      System.exit(2);
    }
    Path dir = Path.of(args[1]);
    long a = Long.parseLong(args[2]);
    long b = Long.parseLong(args[3]);
    LayoutGenerator gen = new LayoutGenerator(dir);
    switch (args[0]) {
      // the big layers have file names, so that `pull` (scenario s2files) writes them as files
      case "big" -> gen.single("big", (int) a, b, 1, true);
      case "small" -> gen.single("small", (int) a, b, 1_000_000, false);
      case "multi" -> gen.multi(a, b);
      case "many" -> gen.many((int) a, b);
      default -> {
        System.err.println("unknown kind " + args[0]);
        System.exit(2);
      }
    }
  }

  private void single(String name, int layers, long fileBytes, long seedBase, boolean titled)
      throws IOException {
    List<Blob> blobs = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      Blob layer = layer(name + "-" + i + ".bin", fileBytes, seedBase + i);
      blobs.add(titled ? layer.titled(name + "-" + i + ".tar.gz") : layer);
    }
    Blob manifest = manifest("amd64", null, blobs);
    writeIndexJson(manifest);
  }

  private void multi(long baseBytes, long platformBytes) throws IOException {
    String[][] platforms = {{"amd64", null}, {"arm64", "v8"}, {"arm", "v7"}, {"s390x", null}};
    Blob base = layer("base.bin", baseBytes, 500);
    StringBuilder manifests = new StringBuilder();
    for (int i = 0; i < platforms.length; i++) {
      Blob own = layer(platforms[i][0] + ".bin", platformBytes, 600 + i);
      Blob m = manifest(platforms[i][0], platforms[i][1], List.of(base, own));
      if (i > 0) {
        manifests.append(',');
      }
      manifests
          .append("{\"mediaType\":\"")
          .append(MANIFEST)
          .append("\",\"digest\":\"")
          .append(m.digest())
          .append("\",\"size\":")
          .append(m.size())
          .append(",\"platform\":{\"architecture\":\"")
          .append(platforms[i][0])
          .append("\",\"os\":\"linux\"");
      if (platforms[i][1] != null) {
        manifests.append(",\"variant\":\"").append(platforms[i][1]).append('"');
      }
      manifests.append("}}");
    }
    byte[] index =
        ("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[" + manifests + "]}")
            .getBytes(StandardCharsets.UTF_8);
    writeIndexJson(bytes(INDEX, index));
  }

  /**
   * An image index of {@code count} image manifests (issue 14, item 11), each with its own small
   * layer of {@code fileBytes} random bytes, all sharing one config (whose {@code diff_ids} list is
   * empty: the copy scenarios never unpack layers).
   */
  private void many(int count, long fileBytes) throws IOException {
    Blob config =
        bytes(
            CONFIG,
            ("{\"architecture\":\"amd64\",\"created\":\"2026-01-01T00:00:00Z\",\"os\":\"linux\","
                    + "\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
                .getBytes(StandardCharsets.UTF_8));
    StringBuilder manifests = new StringBuilder();
    for (int i = 0; i < count; i++) {
      Blob layer = layer("many-" + i + ".bin", fileBytes, 2_000_000L + i);
      String manifest =
          "{\"schemaVersion\":2,\"mediaType\":\""
              + MANIFEST
              + "\",\"config\":"
              + config.json()
              + ",\"layers\":["
              + layer.json()
              + "]}";
      Blob m = bytes(MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
      if (i > 0) {
        manifests.append(',');
      }
      manifests.append(m.json());
    }
    byte[] index =
        ("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[" + manifests + "]}")
            .getBytes(StandardCharsets.UTF_8);
    writeIndexJson(bytes(INDEX, index));
  }

  private Blob manifest(String arch, String variant, List<Blob> layers) throws IOException {
    StringBuilder diffIds = new StringBuilder();
    StringBuilder layerJson = new StringBuilder();
    for (Blob l : layers) {
      if (!diffIds.isEmpty()) {
        diffIds.append(',');
        layerJson.append(',');
      }
      diffIds.append('"').append(l.diffId()).append('"');
      layerJson.append(l.json());
    }
    String config =
        "{\"architecture\":\""
            + arch
            + "\",\"created\":\"2026-01-01T00:00:00Z\",\"os\":\"linux\","
            + "\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
            + diffIds
            + "]}"
            + (variant == null ? "" : ",\"variant\":\"" + variant + "\"")
            + "}";
    Blob configBlob = bytes(CONFIG, config.getBytes(StandardCharsets.UTF_8));
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MANIFEST
            + "\",\"config\":"
            + configBlob.json()
            + ",\"layers\":["
            + layerJson
            + "]}";
    return bytes(MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
  }

  private void writeIndexJson(Blob root) throws IOException {
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + INDEX
            + "\",\"manifests\":[{\"mediaType\":\""
            + root.mediaType()
            + "\",\"digest\":\""
            + root.digest()
            + "\",\"size\":"
            + root.size()
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}";
    Files.writeString(this.root.resolve("index.json"), json);
  }

  private Blob bytes(String mediaType, byte[] content) throws IOException {
    String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
    Path target = blobPath(digest);
    if (!Files.exists(target)) {
      Files.write(target, content);
    }
    return new Blob(mediaType, digest, content.length, null, null);
  }

  /** Writes one tar+gzip layer holding a single file of {@code fileBytes} random bytes. */
  private Blob layer(String fileName, long fileBytes, long seed) throws IOException {
    Path tmp = root.resolve("blobs/sha256/.tmp-" + fileName);
    MessageDigest tarDigest = sha256();
    MessageDigest blobDigest = sha256();
    long size;
    try (OutputStream file = Files.newOutputStream(tmp);
        HashingOutputStream blobOut = new HashingOutputStream(file, blobDigest);
        StoredGzipOutputStream gzip = new StoredGzipOutputStream(blobOut)) {
      SplittableRandom random = new SplittableRandom(seed);
      byte[] buffer = new byte[(int) Math.max(1, Math.min(BUFFER, fileBytes))];
      byte[] header = tarHeader(fileName, fileBytes);
      tarDigest.update(header);
      gzip.write(header, 0, header.length);
      long remaining = fileBytes;
      while (remaining > 0) {
        int n = (int) Math.min(buffer.length, remaining);
        fill(random, buffer, n);
        tarDigest.update(buffer, 0, n);
        gzip.write(buffer, 0, n);
        remaining -= n;
      }
      int pad = (int) ((512 - fileBytes % 512) % 512) + 1024;
      byte[] zeros = new byte[pad];
      tarDigest.update(zeros);
      gzip.write(zeros, 0, zeros.length);
      gzip.finish();
      size = blobOut.count();
    }
    String digest = "sha256:" + HexFormat.of().formatHex(blobDigest.digest());
    Files.move(tmp, blobPath(digest), StandardCopyOption.REPLACE_EXISTING);
    return new Blob(
        LAYER, digest, size, "sha256:" + HexFormat.of().formatHex(tarDigest.digest()), null);
  }

  private Path blobPath(String digest) {
    return root.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private static void fill(SplittableRandom random, byte[] buffer, int n) {
    for (int i = 0; i < n; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < n; j++) {
        buffer[i + j] = (byte) (v >>> (8 * j));
      }
    }
  }

  /** A POSIX ustar header for a regular file. */
  static byte[] tarHeader(String name, long size) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644\0");
    put(h, 108, "0000000\0");
    put(h, 116, "0000000\0");
    put(h, 124, String.format("%011o", size) + "\0");
    put(h, 136, String.format("%011o", 1767225600L) + "\0");
    h[156] = '0';
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum) + "\0 ");
    return h;
  }

  private static void put(byte[] h, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, offset, b.length);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** Counts and hashes what passes through. */
  private static final class HashingOutputStream extends OutputStream {
    private final OutputStream out;
    private final MessageDigest digest;
    private long count;

    HashingOutputStream(OutputStream out, MessageDigest digest) {
      this.out = out;
      this.digest = digest;
    }

    long count() {
      return count;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** gzip with stored (uncompressed) deflate blocks: valid gzip at the speed of a copy. */
  private static final class StoredGzipOutputStream extends OutputStream {
    private static final int MAX_STORED = 65535;
    private final OutputStream out;
    private final CRC32 crc = new CRC32();
    private final byte[] pending = new byte[MAX_STORED];
    private int pendingLength;
    private long total;
    private boolean finished;

    StoredGzipOutputStream(OutputStream out) throws IOException {
      this.out = out;
      // magic, CM=deflate, no flags, mtime 0, XFL 0, OS=unix
      out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      crc.update(b, off, len);
      total += len;
      while (len > 0) {
        int n = Math.min(len, MAX_STORED - pendingLength);
        System.arraycopy(b, off, pending, pendingLength, n);
        pendingLength += n;
        off += n;
        len -= n;
        if (pendingLength == MAX_STORED) {
          block(false);
        }
      }
    }

    private void block(boolean last) throws IOException {
      int n = pendingLength;
      out.write(
          new byte[] {
            (byte) (last ? 1 : 0), (byte) n, (byte) (n >>> 8), (byte) ~n, (byte) (~n >>> 8)
          });
      out.write(pending, 0, n);
      pendingLength = 0;
    }

    void finish() throws IOException {
      if (finished) {
        return;
      }
      finished = true;
      block(true);
      long c = crc.getValue();
      out.write(
          new byte[] {
            (byte) c,
            (byte) (c >>> 8),
            (byte) (c >>> 16),
            (byte) (c >>> 24),
            (byte) total,
            (byte) (total >>> 8),
            (byte) (total >>> 16),
            (byte) (total >>> 24)
          });
    }

    @Override
    public void close() throws IOException {
      finish();
      out.close();
    }
  }
}
