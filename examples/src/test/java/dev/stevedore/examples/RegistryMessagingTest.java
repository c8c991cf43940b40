package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import dev.stevedore.content.ContentException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class RegistryMessagingTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension();

  private static final Instant SENT = Instant.parse("2024-03-04T05:06:07Z");

  private Repository mailbox(String name) {
    return Repository.builder().registry(REGISTRY.registry().hostPort()).name(name).plainHttp().build();
  }

  @Test
  void aGzipMessageIsSentInChunksAndReadBack() throws Exception {
    byte[] body = Fixtures.randomBytes(10_000, 3);
    try (Repository repo = mailbox("comms/gzip")) {
      Descriptor message = RegistryMessaging.send(repo, "to-bob-1", "alice", "bob", body, 4096,
          RegistryMessaging.Compression.GZIP, SENT);

      Manifest manifest = Manifest.parse(Contents.fetchAll(repo, message, 1 << 20));
      assertThat(manifest.artifactType()).isEqualTo(RegistryMessaging.MESSAGE_TYPE);
      assertThat(manifest.config()).isEqualTo(MediaTypes.EMPTY_JSON);
      assertThat(manifest.layers()).hasSize(3).allSatisfy(l ->
          assertThat(l.mediaType()).isEqualTo("application/vnd.dockercomms.message.chunk.v1+gzip"));
      assertThat(manifest.annotations()).containsEntry(RegistryMessaging.SENDER, "alice")
          .containsEntry(RegistryMessaging.RECIPIENT, "bob");
      assertThat(RegistryMessaging.receive(repo, "to-bob-1")).isEqualTo(body);
    }
  }

  @Test
  void aZstdMessageIsRealZstandard() throws Exception {
    byte[] body = Fixtures.utf8("hello over zstd ".repeat(100));
    try (Repository repo = mailbox("comms/zstd")) {
      Descriptor message = RegistryMessaging.send(repo, "to-carol-1", "alice", "carol", body, 1 << 20,
          RegistryMessaging.Compression.ZSTD, SENT);
      Descriptor layer = Manifest.parse(Contents.fetchAll(repo, message, 1 << 20)).layers().get(0);
      byte[] chunk = Contents.fetchAll(repo, layer, 1 << 20);
      assertThat(chunk).startsWith((byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd);
      assertThat(chunk.length).isLessThan(body.length);
      try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(chunk))) {
        assertThat(in.readAllBytes()).isEqualTo(body);
      }
      assertThat(RegistryMessaging.receive(repo, message.digest().toString())).isEqualTo(body);
    }
  }

  @Test
  void receiptsAndSignaturesAreReferrersFoundByArtifactType() throws Exception {
    try (Repository repo = mailbox("comms/referrers")) {
      Descriptor message = RegistryMessaging.send(repo, "to-bob-2", "alice", "bob", Fixtures.utf8("ping"), 1024,
          RegistryMessaging.Compression.GZIP, SENT);
      Descriptor receipt = RegistryMessaging.acknowledge(repo, message, "bob", SENT.plusSeconds(60));
      Descriptor signature = RegistryMessaging.attachSignature(repo, message,
          Fixtures.utf8("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}"));

      assertThat(RegistryMessaging.referrers(repo, message, RegistryMessaging.RECEIPT_TYPE))
          .extracting(Descriptor::digest).containsExactly(receipt.digest());
      assertThat(RegistryMessaging.referrers(repo, message, BundlePublisher.SIGSTORE_BUNDLE))
          .extracting(Descriptor::digest).containsExactly(signature.digest());
      assertThat(RegistryMessaging.referrers(repo, message, null)).extracting(Descriptor::digest)
          .containsExactlyInAnyOrder(receipt.digest(), signature.digest());
      Manifest receiptManifest = Manifest.parse(Contents.fetchAll(repo, receipt, 1 << 20));
      assertThat(receiptManifest.subject().digest()).isEqualTo(message.digest());
      assertThat(receiptManifest.annotations()).containsEntry(RegistryMessaging.READ_BY, "bob");
    }
  }

  @Test
  void theRegistryReportsWhetherItHasTheReferrersApi() throws Exception {
    try (Repository repo = mailbox("comms/api")) {
      // distribution 2.8 has no referrers API: referrers go through the tag schema, as the test above shows
      assertThat(RegistryMessaging.supportsReferrersApi(repo)).isFalse();
    }
  }

  @Test
  void aConfigLessManifestNeedsTheEmptyBlobWhichIsEnsuredOnce() throws Exception {
    try (Repository repo = mailbox("comms/empty")) {
      byte[] json = new Manifest(2, MediaTypes.OCI_MANIFEST, RegistryMessaging.RECEIPT_TYPE, MediaTypes.EMPTY_JSON,
          List.of(MediaTypes.EMPTY_JSON), null, Map.of()).toJson();
      Descriptor desc = Descriptor.of(MediaTypes.OCI_MANIFEST, json);
      assertThatThrownBy(() -> repo.push(desc, new ByteArrayInputStream(json)))
          .satisfies(e -> assertThat(ContentException.is(e, NotFoundException.class)).isTrue());

      assertThat(repo.exists(MediaTypes.EMPTY_JSON)).isFalse();
      RegistryMessaging.ensureEmptyConfig(repo);
      RegistryMessaging.ensureEmptyConfig(repo);
      assertThat(repo.exists(MediaTypes.EMPTY_JSON)).isTrue();
      repo.push(desc, new ByteArrayInputStream(json));
      assertThat(repo.exists(desc)).isTrue();
    }
  }

  @Test
  void readingSomethingElseAsAMessageIsRefused() throws Exception {
    try (Repository repo = mailbox("comms/other")) {
      Descriptor message = RegistryMessaging.send(repo, "m", "a", "b", Fixtures.utf8("x"), 16,
          RegistryMessaging.Compression.GZIP, SENT);
      Descriptor receipt = RegistryMessaging.acknowledge(repo, message, "b", SENT);
      assertThatThrownBy(() -> RegistryMessaging.receive(repo, receipt.digest().toString()))
          .isInstanceOf(UnsupportedContentException.class).hasMessageContaining("not a message");
    }
  }
}
