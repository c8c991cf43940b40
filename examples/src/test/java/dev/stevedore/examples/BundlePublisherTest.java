package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Reference;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.content.remote.credentials.DockerConfigStore;
import dev.stevedore.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class BundlePublisherTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  private static final String TYPE = "application/vnd.example.site.v1";
  private static final Instant CREATED = Instant.parse("2024-05-06T07:08:09Z");
  private static final byte[] SIGNATURE =
      "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}"
          .getBytes(StandardCharsets.UTF_8);

  @TempDir Path temp;
  private Path site;

  @BeforeEach
  void makeSite() throws Exception {
    site = temp.resolve("site");
    Files.createDirectories(site.resolve("docs/img"));
    Files.writeString(site.resolve("index.html"), "<h1>hello</h1>");
    Files.writeString(site.resolve("docs/guide.md"), "# guide");
    Files.writeString(site.resolve("docs/img/logo.svg"), "<svg/>");
  }

  private BundlePublisher.Bundle bundle(@Nullable String sub) {
    return new BundlePublisher.Bundle(
        site,
        sub,
        TYPE,
        Map.of(Annotations.VERSION, "1.2.3", Annotations.SOURCE, "https://example.com/site.git"),
        CREATED);
  }

  private RegistryConnection plainHttp(Path dockerConfig) {
    return new RegistryConnection(
        RegistryConnection.Transport.PLAIN_HTTP, DockerConfigStore.open(dockerConfig));
  }

  @Test
  void packagesADirectoryIntoALayoutWithTypeAnnotationsAndTag() throws Exception {
    Path layoutDir = temp.resolve("layout");
    BundlePublisher.Published published =
        BundlePublisher.publish(
            bundle(null),
            PublishTarget.parse(layoutDir.toString(), "v1"),
            plainHttp(temp.resolve("none.json")),
            null);

    OciLayoutStore layout = OciLayoutStore.open(layoutDir);
    Descriptor tagged = layout.resolve("v1");
    assertThat(tagged.digest()).isEqualTo(published.manifest().digest());
    assertThat(published.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(published.size()).isEqualTo(tagged.size());
    assertThat(published.reference()).isEqualTo(layoutDir + ":v1");
    Manifest manifest =
        Manifest.parse(Contents.fetchAll(layout, tagged, Contents.DEFAULT_MAX_METADATA_BYTES));
    assertThat(manifest.artifactType()).isEqualTo(TYPE);
    assertThat(manifest.annotations())
        .containsEntry(Annotations.CREATED, "2024-05-06T07:08:09Z")
        .containsEntry(Annotations.VERSION, "1.2.3")
        .doesNotContainKey(Annotations.TITLE)
        .containsEntry(Annotations.SOURCE, "https://example.com/site.git");
    assertThat(manifest.layers())
        .singleElement()
        .satisfies(
            layer -> {
              assertThat(layer.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
              assertThat(layer.annotation(Annotations.TITLE)).isEqualTo("site");
            });
  }

  @Test
  void theSameInputGivesTheSameDigestEvenWhenFilesAreTouched() throws Exception {
    BundlePublisher.Published first =
        BundlePublisher.publish(
            bundle(null),
            new PublishTarget.Layout(temp.resolve("one"), "v1"),
            plainHttp(temp.resolve("none.json")),
            null);
    Files.setLastModifiedTime(
        site.resolve("index.html"), java.nio.file.attribute.FileTime.from(Instant.now()));
    BundlePublisher.Published second =
        BundlePublisher.publish(
            bundle(null),
            new PublishTarget.Layout(temp.resolve("two"), "v1"),
            plainHttp(temp.resolve("none.json")),
            null);
    assertThat(second.digest()).isEqualTo(first.digest());

    Files.writeString(site.resolve("index.html"), "<h1>changed</h1>");
    BundlePublisher.Published third =
        BundlePublisher.publish(
            bundle(null),
            new PublishTarget.Layout(temp.resolve("three"), "v1"),
            plainHttp(temp.resolve("none.json")),
            null);
    assertThat(third.digest()).isNotEqualTo(first.digest());
  }

  @Test
  void aSubDirectoryIsPackagedAlone() throws Exception {
    BundlePublisher.Published whole =
        BundlePublisher.publish(
            bundle(null),
            new PublishTarget.Layout(temp.resolve("whole"), "v1"),
            plainHttp(temp.resolve("none.json")),
            null);
    BundlePublisher.Published docs =
        BundlePublisher.publish(
            bundle("docs"),
            new PublishTarget.Layout(temp.resolve("docs"), "v1"),
            plainHttp(temp.resolve("none.json")),
            null);
    OciLayoutStore layout = OciLayoutStore.open(temp.resolve("docs"));
    Manifest manifest =
        Manifest.parse(
            Contents.fetchAll(layout, docs.manifest(), Contents.DEFAULT_MAX_METADATA_BYTES));
    assertThat(manifest.layers().get(0).annotation(Annotations.TITLE)).isEqualTo("docs");
    assertThat(docs.digest()).isNotEqualTo(whole.digest());
    assertThatThrownBy(
            () ->
                BundlePublisher.publish(
                    bundle("../.."),
                    new PublishTarget.Layout(temp.resolve("x"), "v1"),
                    plainHttp(temp.resolve("none.json")),
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leads out of");
  }

  @Test
  void pushesToTheRegistryAndAttachesASignatureTaggedByItsOwnDigest() throws Exception {
    String host = REGISTRY.registry().hostPort();
    Path dockerConfig = temp.resolve("config.json");
    Files.writeString(dockerConfig, "{\"auths\":{}}");
    PublishTarget target = PublishTarget.parse("oci://" + host + "/bundles/site", "v1");

    BundlePublisher.Published published =
        BundlePublisher.publish(bundle(null), target, plainHttp(dockerConfig), SIGNATURE);

    assertThat(published.reference()).isEqualTo(host + "/bundles/site:v1");
    try (Repository repository =
        Repository.builder().reference(host + "/bundles/site").plainHttp().build()) {
      assertThat(repository.resolve("v1").digest()).isEqualTo(published.manifest().digest());
      List<Descriptor> referrers =
          repository.listReferrers(published.manifest(), BundlePublisher.SIGSTORE_BUNDLE);
      Descriptor signed =
          Objects.requireNonNull(published.signature(), "a signed publish has a signature");
      assertThat(referrers)
          .singleElement()
          .satisfies(r -> assertThat(r.digest()).isEqualTo(signed.digest()));
      String signatureTag =
          Objects.requireNonNull(published.signatureTag(), "a signed publish has a signature tag");
      assertThat(signatureTag).isEqualTo(signed.digest().encoded());
      assertThat(repository.resolve(signatureTag).digest()).isEqualTo(signed.digest());
      Manifest signature =
          Manifest.parse(
              Contents.fetchAll(repository, signed, Contents.DEFAULT_MAX_METADATA_BYTES));
      Descriptor subject =
          Objects.requireNonNull(signature.subject(), "the signature has a subject");
      assertThat(subject.digest()).isEqualTo(published.manifest().digest());
      assertThat(signature.layers())
          .singleElement()
          .satisfies(l -> assertThat(l.mediaType()).isEqualTo(BundlePublisher.SIGSTORE_BUNDLE));
      assertThat(Contents.fetchAll(repository, signature.layers().get(0), 1024))
          .isEqualTo(SIGNATURE);
    }
  }

  @Test
  void targetsParse() throws Exception {
    assertThat(PublishTarget.parse("oci://localhost:5000/a/b:v2", "latest"))
        .isEqualTo(new PublishTarget.Remote(Reference.parse("localhost:5000/a/b:v2")));
    assertThat(PublishTarget.parse("oci://registry.example.com/a", "latest").tag())
        .isEqualTo("latest");
    assertThat(PublishTarget.parse("out/layout", "v3"))
        .isEqualTo(new PublishTarget.Layout(Path.of("out/layout"), "v3"));
  }

  @Test
  void badRemoteTargetsAreClearErrors() {
    assertThatThrownBy(() -> PublishTarget.parse("oci://localhost:5000", "latest"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("no repository");
    assertThatThrownBy(() -> PublishTarget.parse("oci://localhost:5000/", "latest"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("no repository");
    assertThatThrownBy(() -> PublishTarget.parse("oci://localhost:50x0/repo", "latest"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("bad port \"50x0\"");
    assertThatThrownBy(() -> PublishTarget.parse("oci://localhost:70000/repo", "latest"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("bad port \"70000\"");
    assertThatThrownBy(() -> PublishTarget.parse("oci://localhost:/repo", "latest"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("bad port \"\"");
    assertThatThrownBy(() -> PublishTarget.parse("oci://localhost:5000/Upper", "latest"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("invalid repository");
  }
}
