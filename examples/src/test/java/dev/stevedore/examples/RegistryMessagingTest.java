package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.FetchedReference;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.examples.RegistryMessaging.BuiltManifest;
import dev.stevedore.examples.RegistryMessaging.Compression;
import dev.stevedore.examples.RegistryMessaging.ManifestBuilder;
import dev.stevedore.examples.RegistryMessaging.Message;
import dev.stevedore.examples.RegistryMessaging.SendOptions;
import dev.stevedore.examples.RegistryMessaging.Sent;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DockerComms seed (004): its media types, annotations, tags and manifest bytes, against a real
 * registry.
 */
@Timeout(60)
class RegistryMessagingTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private static final Instant SENT = Instant.parse("2024-03-04T05:06:07Z");
  private static final String EMPTY =
      "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
          + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}";
  private static final String SESSION = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  private static final String MESSAGE_ID = "12345678-9abc-def0-1234-56789abcdef0";

  @TempDir Path temp;

  private Repository mailbox(String name) {
    return Repository.builder()
        .registry(REGISTRY.registry().hostPort())
        .name(name)
        .plainHttp()
        .build();
  }

  private Path file(String name, byte[] content) throws Exception {
    Path file = temp.resolve(name);
    Files.write(file, content);
    return file;
  }

  private static SendOptions options(String to, long chunkBytes, Compression compression) {
    return new SendOptions(to, "alice", SESSION, MESSAGE_ID, chunkBytes, compression, 3600, SENT);
  }

  private static String json(BuiltManifest manifest) {
    return new String(manifest.json(), StandardCharsets.UTF_8);
  }

  @Test
  void theSeedsConstantsAndEmptyConfig() {
    assertThat(RegistryMessaging.CHUNK_GZIP)
        .isEqualTo("application/vnd.dockercomms.chunk.v1.tar+gzip");
    assertThat(RegistryMessaging.CHUNK_ZSTD)
        .isEqualTo("application/vnd.dockercomms.chunk.v1.tar+zstd");
    assertThat(RegistryMessaging.MESSAGE_TYPE).isEqualTo("application/vnd.dockercomms.message.v1");
    assertThat(RegistryMessaging.RECEIPT_TYPE).isEqualTo("application/vnd.dockercomms.receipt.v1");
    assertThat(RegistryMessaging.BUNDLE_TYPE)
        .isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
    assertThat(RegistryMessaging.BUNDLE_CONFIG_MEDIA_TYPE).isEqualTo(RegistryMessaging.BUNDLE_TYPE);
    assertThat(RegistryMessaging.MANIFEST_MEDIA_TYPE)
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(new String(RegistryMessaging.EMPTY_CONFIG.toJson(), StandardCharsets.UTF_8))
        .isEqualTo(EMPTY);
  }

  @Test
  void tagsFollowTheSeedsRules() {
    // lower(base32hex(sha256(recipient)))[:26], computed independently with Python's
    // base64.b32hexencode
    assertThat(RegistryMessaging.recipientTag("bob")).isEqualTo("g6r3fm7sqb3dkoqpsqb324t12s");
    assertThat(RegistryMessaging.recipientTag("alice@example.com"))
        .isEqualTo("vu6pg6fs1o9bu394h4n4b63u4i");
    assertThat(RegistryMessaging.messageTag("bob", SENT, SESSION, MESSAGE_ID))
        .isEqualTo("inbox-g6r3fm7sqb3dkoqpsqb324t12s-20240304-0f1e2d3c-12345678");
    assertThat(RegistryMessaging.hexDigest12("sha256:0123456789abcdef0123"))
        .isEqualTo("0123456789ab");
  }

  @Test
  void manifestsAreByteForByteTheSeeds() throws Exception {
    Descriptor chunk =
        Descriptor.of(RegistryMessaging.CHUNK_GZIP, Fixtures.utf8("chunk"))
            .withAnnotations(Map.of(RegistryMessaging.CHUNK_INDEX, "0"));
    BuiltManifest message =
        ManifestBuilder.message(
                Map.of("dockercomms.version", "1.0", "dockercomms.sender", "a<b"), List.of(chunk))
            .build();
    assertThat(json(message))
        .isEqualTo(
            "{\"schemaVersion\":2,\"artifactType\":\"application/vnd.dockercomms.message.v1\","
                + "\"config\":"
                + EMPTY
                + ",\"layers\":[{\"mediaType\":\"application/vnd.dockercomms.chunk.v1.tar+gzip\","
                + "\"digest\":\""
                + chunk.digest()
                + "\",\"size\":5,\"annotations\":{\"dockercomms.chunk.index\":\"0\"}}],"
                + "\"annotations\":{\"dockercomms.sender\":\"a\\u003cb\",\"dockercomms.version\":\"1.0\"}}");
    assertThat(message.descriptor())
        .isEqualTo(Descriptor.of(MediaTypes.OCI_MANIFEST, message.json()));

    BuiltManifest receipt =
        ManifestBuilder.receipt(Map.of("dockercomms.receipt.status", "accepted")).build();
    assertThat(json(receipt))
        .isEqualTo(
            "{\"schemaVersion\":2,\"artifactType\":\"application/vnd.dockercomms.receipt.v1\","
                + "\"config\":"
                + EMPTY
                + ",\"layers\":null,\"annotations\":{\"dockercomms.receipt.status\":\"accepted\"}}");

    Descriptor blob = Descriptor.of(RegistryMessaging.BUNDLE_TYPE, Fixtures.utf8("{}"));
    Descriptor subject =
        Descriptor.of(
            "application/octet-stream", message.descriptor().digest(), message.descriptor().size());
    BuiltManifest bundle =
        ManifestBuilder.bundle(subject, Map.of("dockercomms.version", "1.0"), blob).build();
    assertThat(json(bundle))
        .isEqualTo(
            "{\"schemaVersion\":2,\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
                + "\"config\":"
                + EMPTY
                + ",\"layers\":[{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
                + "\"digest\":\""
                + blob.digest()
                + "\",\"size\":2}],\"subject\":{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + subject.digest()
                + "\",\"size\":"
                + subject.size()
                + "},\"annotations\":{\"dockercomms.version\":\"1.0\"}}");
  }

  @Test
  void aGzipFileIsSentInTarChunksWithTheSeedsAnnotationsAndTag() throws Exception {
    byte[] body = Fixtures.randomBytes(10_000, 3);
    try (Repository repo = mailbox("comms/gzip")) {
      Sent sent =
          RegistryMessaging.send(
              repo, file("report.bin", body), options("bob", 4096, Compression.GZIP));

      assertThat(sent.tag())
          .isEqualTo("inbox-g6r3fm7sqb3dkoqpsqb324t12s-20240304-0f1e2d3c-12345678");
      byte[] raw;
      try (FetchedReference fetched = repo.fetchReference(sent.tag())) {
        raw = fetched.content().readAllBytes();
      }
      Manifest manifest = Manifest.parse(raw);
      assertThat(new String(raw, StandardCharsets.UTF_8))
          .doesNotContain("\"data\"")
          .startsWith(
              "{\"schemaVersion\":2,\"artifactType\":\"application/vnd.dockercomms.message.v1\",\"config\":"
                  + EMPTY);
      assertThat(manifest.mediaType()).isNull();
      // what the registry holds is what the builder makes of the same values: the seed's bytes
      assertThat(ManifestBuilder.message(manifest.annotations(), manifest.layers()).build().json())
          .isEqualTo(raw);
      assertThat(manifest.annotations())
          .containsExactlyInAnyOrderEntriesOf(
              Map.ofEntries(
                  Map.entry("dockercomms.version", "1.0"),
                  Map.entry("dockercomms.sender", "alice"),
                  Map.entry("dockercomms.recipient", "bob"),
                  Map.entry("dockercomms.created_at", "2024-03-04T05:06:07Z"),
                  Map.entry("dockercomms.ttl_seconds", "3600"),
                  Map.entry("dockercomms.message.id", MESSAGE_ID),
                  Map.entry("dockercomms.filename", "report.bin"),
                  Map.entry("dockercomms.total_bytes", "10000"),
                  Map.entry("dockercomms.chunk_bytes", "4096"),
                  Map.entry("dockercomms.chunk_count", "3"),
                  Map.entry("dockercomms.compression", "gzip")));
      assertThat(Contents.fetchAll(repo, RegistryMessaging.EMPTY_CONFIG, 16))
          .isEqualTo(Fixtures.utf8("{}"));
      assertThat(manifest.layers()).hasSize(3);
      ByteArrayOutputStream joined = new ByteArrayOutputStream();
      for (int i = 0; i < 3; i++) {
        Descriptor layer = manifest.layers().get(i);
        assertThat(layer.mediaType()).isEqualTo("application/vnd.dockercomms.chunk.v1.tar+gzip");
        assertThat(layer.annotations())
            .containsExactly(Map.entry("dockercomms.chunk.index", Integer.toString(i)));
        try (TarArchiveInputStream tar =
            new TarArchiveInputStream(new GZIPInputStream(repo.fetch(layer)))) {
          TarArchiveEntry entry = tar.getNextEntry();
          assertThat(entry.getName()).isEqualTo("chunk_" + i + ".bin");
          assertThat(entry.getMode() & 07777).isEqualTo(0644);
          tar.transferTo(joined);
          assertThat(tar.getNextEntry()).isNull();
        }
      }
      assertThat(joined.toByteArray()).isEqualTo(body);
      assertThat(RegistryMessaging.receive(repo, sent.tag())).isEqualTo(body);
    }
  }

  @Test
  void aZstdChunkIsRealZstandardAroundATar() throws Exception {
    byte[] body = Fixtures.utf8("hello over zstd ".repeat(100));
    try (Repository repo = mailbox("comms/zstd")) {
      Sent sent =
          RegistryMessaging.send(
              repo, file("hello.txt", body), options("carol", 1 << 20, Compression.ZSTD));
      Manifest manifest = Manifest.parse(Contents.fetchAll(repo, sent.manifest(), 1 << 20));
      assertThat(manifest.annotations())
          .containsEntry("dockercomms.compression", "zstd")
          .containsEntry("dockercomms.chunk_bytes", Integer.toString(body.length));
      Descriptor layer = manifest.layers().get(0);
      assertThat(layer.mediaType()).isEqualTo("application/vnd.dockercomms.chunk.v1.tar+zstd");
      byte[] chunk = Contents.fetchAll(repo, layer, 1 << 20);
      assertThat(chunk).startsWith((byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd);
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(new ZstdInputStream(new ByteArrayInputStream(chunk)))) {
        assertThat(tar.getNextEntry().getName()).isEqualTo("chunk_0.bin");
        assertThat(tar.readAllBytes()).isEqualTo(body);
      }
      assertThat(RegistryMessaging.receive(repo, sent.manifest().digest().toString()))
          .isEqualTo(body);
    }
  }

  @Test
  void theInboxListsTheRecipientsMessagesOnce() throws Exception {
    try (Repository repo = mailbox("comms/inbox")) {
      RegistryMessaging.send(
          repo, file("a.txt", Fixtures.utf8("for bob")), options("bob", 0, Compression.GZIP));
      // the same message id under a second tag is listed once
      Sent again =
          RegistryMessaging.send(
              repo,
              file("a.txt", Fixtures.utf8("for bob")),
              new SendOptions(
                  "bob",
                  "alice",
                  "ffffffff-0000-0000-0000-000000000000",
                  MESSAGE_ID,
                  0,
                  Compression.GZIP,
                  0,
                  SENT));
      RegistryMessaging.send(
          repo, file("c.txt", Fixtures.utf8("for carol")), options("carol", 0, Compression.GZIP));

      List<Message> inbox = RegistryMessaging.inbox(repo, "bob", 10);
      assertThat(inbox).hasSize(1);
      assertThat(inbox.get(0).filename()).isEqualTo("a.txt");
      assertThat(again.tag())
          .startsWith("inbox-" + RegistryMessaging.recipientTag("bob") + "-20240304-ffffffff-");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(RegistryMessaging.reassemble(repo, inbox.get(0), out)).isEqualTo(7);
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("for bob");
    }
  }

  @Test
  void receiptsAreLayerlessManifestsFoundByTagAndReceiptFor() throws Exception {
    try (Repository repo = mailbox("comms/receipts")) {
      RegistryMessaging.send(
          repo, file("m.txt", Fixtures.utf8("ping")), options("bob", 0, Compression.GZIP));
      Message message = RegistryMessaging.inbox(repo, "bob", 1).get(0);
      Sent receipt =
          RegistryMessaging.acknowledge(repo, message, true, false, null, SENT.plusSeconds(60));

      String hex12 = message.manifest().digest().encoded().substring(0, 12);
      assertThat(receipt.tag())
          .matches(
              "receipt-" + hex12 + "-" + SENT.plusSeconds(60).getEpochSecond() + "-[0-9a-f]{6}");
      byte[] raw = Contents.fetchAll(repo, receipt.manifest(), 1 << 20);
      assertThat(new String(raw, StandardCharsets.UTF_8))
          .contains(",\"layers\":null,")
          .doesNotContain("subject");
      Map<String, Map<String, String>> receipts =
          RegistryMessaging.receipts(repo, message.manifest().digest());
      assertThat(receipts).containsOnlyKeys(receipt.tag());
      assertThat(receipts.get(receipt.tag()))
          .containsEntry("dockercomms.receipt.for", message.manifest().digest().toString())
          .containsEntry("dockercomms.receipt.status", "accepted")
          .containsEntry("dockercomms.receipt.verified", "false")
          .containsEntry("dockercomms.sender", "alice")
          .containsEntry("dockercomms.recipient", "bob")
          .containsEntry("dockercomms.ttl_seconds", "3600")
          .doesNotContainKey("dockercomms.receipt.reason");
    }
  }

  @Test
  void aBundleIsAReferrerAndATaggedManifest() throws Exception {
    byte[] bundleJson =
        Fixtures.utf8("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}");
    try (Repository repo = mailbox("comms/bundle")) {
      Sent message =
          RegistryMessaging.send(
              repo, file("m.txt", Fixtures.utf8("signed")), options("bob", 0, Compression.GZIP));
      Sent bundle = RegistryMessaging.attachBundle(repo, message.manifest(), bundleJson, SENT);

      assertThat(bundle.tag())
          .matches(
              "bundle-"
                  + message.manifest().digest().encoded().substring(0, 12)
                  + "-"
                  + SENT.getEpochSecond()
                  + "-[0-9a-f]{6}");
      assertThat(repo.listReferrers(message.manifest(), RegistryMessaging.BUNDLE_TYPE))
          .extracting(Descriptor::digest)
          .containsExactly(bundle.manifest().digest());
      Manifest manifest = Manifest.parse(Contents.fetchAll(repo, bundle.manifest(), 1 << 20));
      assertThat(manifest.config()).isEqualTo(RegistryMessaging.EMPTY_CONFIG);
      assertThat(manifest.layers())
          .containsExactly(Descriptor.of(RegistryMessaging.BUNDLE_TYPE, bundleJson));
      assertThat(manifest.annotations()).containsExactly(Map.entry("dockercomms.version", "1.0"));
      assertThat(RegistryMessaging.fetchBundle(repo, message.manifest().digest()))
          .isEqualTo(bundleJson);
      assertThat(RegistryMessaging.supportsReferrersApi(repo))
          .isFalse(); // distribution 2.8: the tag schema
    }
  }

  @Test
  void pushBlobSkipsWhatExistsAndEnsureEmptyConfigPushesOnce() throws Exception {
    try (Repository repo = mailbox("comms/resume")) {
      assertThat(repo.exists(RegistryMessaging.EMPTY_CONFIG)).isFalse();
      RegistryMessaging.ensureEmptyConfig(repo);
      RegistryMessaging.ensureEmptyConfig(repo);
      assertThat(repo.exists(RegistryMessaging.EMPTY_CONFIG)).isTrue();
      byte[] blob = Fixtures.utf8("chunk");
      Descriptor desc = Descriptor.of(RegistryMessaging.CHUNK_GZIP, blob);
      assertThat(RegistryMessaging.pushBlob(repo, desc, blob)).isTrue();
      assertThat(RegistryMessaging.pushBlob(repo, desc, blob)).isFalse();
    }
  }

  @Test
  void aMissingChunkOrAWrongTotalIsRefused() throws Exception {
    try (Repository repo = mailbox("comms/broken")) {
      Sent sent =
          RegistryMessaging.send(
              repo,
              file("m.bin", Fixtures.randomBytes(300, 1)),
              options("bob", 100, Compression.GZIP));
      Manifest manifest = Manifest.parse(Contents.fetchAll(repo, sent.manifest(), 1 << 20));
      Message gap =
          new Message(
              "gap",
              sent.manifest(),
              List.of(manifest.layers().get(0), manifest.layers().get(2)),
              manifest.annotations());
      assertThatThrownBy(
              () ->
                  RegistryMessaging.reassemble(repo, gap, java.io.OutputStream.nullOutputStream()))
          .isInstanceOf(InvalidDescriptorException.class)
          .hasMessageContaining("missing chunk index 1");
      Map<String, String> wrongTotal = new java.util.HashMap<>(manifest.annotations());
      wrongTotal.put("dockercomms.total_bytes", "301");
      Message wrong = new Message("wrong", sent.manifest(), manifest.layers(), wrongTotal);
      assertThatThrownBy(
              () ->
                  RegistryMessaging.reassemble(
                      repo, wrong, java.io.OutputStream.nullOutputStream()))
          .isInstanceOf(InvalidDescriptorException.class)
          .hasMessageContaining("total_bytes mismatch: got 300 want 301");
      Message unannotated =
          new Message(
              "plain",
              sent.manifest(),
              List.of(manifest.layers().get(0).plain()),
              manifest.annotations());
      assertThatThrownBy(
              () ->
                  RegistryMessaging.reassemble(
                      repo, unannotated, java.io.OutputStream.nullOutputStream()))
          .isInstanceOf(InvalidDescriptorException.class)
          .hasMessageContaining("dockercomms.chunk.index");
    }
  }

  @Test
  void readingSomethingElseAsAMessageIsRefused() throws Exception {
    try (Repository repo = mailbox("comms/other")) {
      Sent message =
          RegistryMessaging.send(
              repo, file("x", Fixtures.utf8("x")), options("b", 0, Compression.GZIP));
      Sent bundle =
          RegistryMessaging.attachBundle(repo, message.manifest(), Fixtures.utf8("{}"), SENT);
      assertThatThrownBy(
              () -> RegistryMessaging.receive(repo, bundle.manifest().digest().toString()))
          .isInstanceOf(UnsupportedContentException.class)
          .hasMessageContaining("not a message");
    }
  }
}
