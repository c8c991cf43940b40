package dev.stevedore.server;

import static dev.stevedore.server.Http.assertError;
import static dev.stevedore.server.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Index;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.testing.Fixtures;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The distribution-spec API of the server, request by request, over memory stores. */
@Timeout(60)
class RegistryProtocolTest {
  @RegisterExtension
  static final EmbeddedRegistryExtension REGISTRY = EmbeddedRegistryExtension.memory();

  private static final AtomicInteger REPOSITORIES = new AtomicInteger();

  private Http http;
  private String name;

  @BeforeEach
  void connect() {
    http = new Http(REGISTRY.url());
    name = "protocol/repo-" + REPOSITORIES.incrementAndGet();
  }

  private Descriptor image(String tag) throws Exception {
    byte[] config = MediaTypes.emptyJsonBytes();
    byte[] layer = Fixtures.randomBytes(1000, tag.hashCode());
    assertThat(http.pushBlob(name, config).statusCode()).isEqualTo(201);
    assertThat(http.pushBlob(name, layer).statusCode()).isEqualTo(201);
    byte[] manifest =
        new Manifest(
                2,
                MediaTypes.OCI_MANIFEST,
                null,
                MediaTypes.EMPTY_JSON,
                List.of(Descriptor.of(MediaTypes.OCI_LAYER, layer)),
                null,
                Map.of())
            .toJson();
    assertThat(http.pushManifest(name, tag, MediaTypes.OCI_MANIFEST, manifest).statusCode())
        .isEqualTo(201);
    return Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
  }

  @Test
  void theBaseEndpointAnswersWithTheApiVersion() throws Exception {
    HttpResponse<byte[]> response = http.get("/v2/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Docker-Distribution-API-Version"))
        .contains("registry/2.0");
  }

  @Test
  void aBlobWhoseBytesDoNotMatchTheDigestIsRefusedAndNothingIsStored() throws Exception {
    byte[] bytes = Fixtures.utf8("the real content");
    Digest claimed = Digest.sha256(Fixtures.utf8("something else"));

    HttpResponse<byte[]> response =
        http.send("POST", "/v2/" + name + "/blobs/uploads/?digest=" + claimed, bytes);

    assertError(response, 400, "DIGEST_INVALID");
    assertThat(http.head("/v2/" + name + "/blobs/" + claimed).statusCode()).isEqualTo(404);
    assertThat(http.head("/v2/" + name + "/blobs/" + Digest.sha256(bytes)).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aMonolithicUploadIsServedBackWithItsDigest() throws Exception {
    byte[] bytes = Fixtures.randomBytes(300_000, 7);

    HttpResponse<byte[]> pushed = http.pushBlob(name, bytes);
    HttpResponse<byte[]> fetched = http.get("/v2/" + name + "/blobs/" + Digest.sha256(bytes));

    assertThat(pushed.statusCode()).isEqualTo(201);
    assertThat(pushed.headers().firstValue("Location"))
        .contains("/v2/" + name + "/blobs/" + Digest.sha256(bytes));
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(fetched.body()).isEqualTo(bytes);
    assertThat(fetched.headers().firstValue("Docker-Content-Digest"))
        .contains(Digest.sha256(bytes).toString());
  }

  @Test
  void chunksOutOfOrderOrRepeatedAre416WithTheSessionRange() throws Exception {
    byte[] bytes = Fixtures.randomBytes(30, 3);
    HttpResponse<byte[]> started =
        http.send("POST", "/v2/" + name + "/blobs/uploads/", new byte[0]);
    assertThat(started.statusCode()).isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();

    HttpResponse<byte[]> first =
        http.send(
            "PATCH",
            location,
            Arrays.copyOfRange(bytes, 0, 10),
            "Content-Range",
            "0-9",
            "Content-Type",
            "application/octet-stream");
    HttpResponse<byte[]> repeated =
        http.send(
            "PATCH",
            first.headers().firstValue("Location").orElseThrow(),
            Arrays.copyOfRange(bytes, 0, 10),
            "Content-Range",
            "0-9",
            "Content-Type",
            "application/octet-stream");
    HttpResponse<byte[]> skipping =
        http.send(
            "PATCH",
            location,
            Arrays.copyOfRange(bytes, 20, 30),
            "Content-Range",
            "20-29",
            "Content-Type",
            "application/octet-stream");

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.headers().firstValue("Range")).contains("0-9");
    assertThat(repeated.statusCode()).isEqualTo(416);
    assertThat(repeated.headers().firstValue("Range")).contains("0-9");
    assertThat(skipping.statusCode()).isEqualTo(416);
    assertThat(skipping.headers().firstValue("Range")).contains("0-9");

    HttpResponse<byte[]> second =
        http.send(
            "PATCH",
            location,
            Arrays.copyOfRange(bytes, 10, 20),
            "Content-Range",
            "10-19",
            "Content-Type",
            "application/octet-stream");
    HttpResponse<byte[]> status = http.get(location);
    HttpResponse<byte[]> finished =
        http.send(
            "PUT",
            location + "?digest=" + Digest.sha256(bytes),
            Arrays.copyOfRange(bytes, 20, 30),
            "Content-Range",
            "20-29",
            "Content-Type",
            "application/octet-stream");

    assertThat(second.headers().firstValue("Range")).contains("0-19");
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(status.headers().firstValue("Range")).contains("0-19");
    assertThat(finished.statusCode()).isEqualTo(201);
    assertThat(http.get("/v2/" + name + "/blobs/" + Digest.sha256(bytes)).body()).isEqualTo(bytes);
    assertError(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void aCancelledUploadIsGone() throws Exception {
    String location =
        http.send("POST", "/v2/" + name + "/blobs/uploads/", new byte[0])
            .headers()
            .firstValue("Location")
            .orElseThrow();

    assertThat(http.delete(location).statusCode()).isEqualTo(204);
    assertError(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    assertThat(REGISTRY.server().uploadSessions()).isZero();
  }

  @Test
  void aRangeIsAnswered206AndARangeBeyondTheEnd416() throws Exception {
    byte[] bytes = Fixtures.randomBytes(100, 5);
    http.pushBlob(name, bytes);
    String path = "/v2/" + name + "/blobs/" + Digest.sha256(bytes);

    HttpResponse<byte[]> part = http.get(path, "Range", "bytes=10-19");
    HttpResponse<byte[]> beyond = http.get(path, "Range", "bytes=100-200");

    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 10, 20));
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 10-19/100");
    assertError(beyond, 416, "RANGE_INVALID");
    assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */100");
  }

  @Test
  void aManifestOverTheLimitIs413() throws Exception {
    byte[] big = new byte[(4 << 20) + 1];
    Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    image("v1");

    assertError(http.pushManifest(name, "big", MediaTypes.OCI_MANIFEST, big), 413, "SIZE_INVALID");
    assertError(http.get("/v2/" + name + "/manifests/big"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void malformedJsonIsManifestInvalid() throws Exception {
    assertError(
        http.pushManifest(
            name, "v1", MediaTypes.OCI_MANIFEST, Fixtures.utf8("{\"schemaVersion\":2,")),
        400,
        "MANIFEST_INVALID");
    assertError(
        http.pushManifest(name, "v1", MediaTypes.OCI_MANIFEST, Fixtures.utf8("[1,2]")),
        400,
        "MANIFEST_INVALID");
  }

  @Test
  void aManifestWhoseBlobsAreMissingIsManifestBlobUnknown() throws Exception {
    byte[] layer = Fixtures.utf8("never pushed");
    http.pushBlob(name, MediaTypes.emptyJsonBytes());
    byte[] manifest =
        new Manifest(
                2,
                MediaTypes.OCI_MANIFEST,
                null,
                MediaTypes.EMPTY_JSON,
                List.of(Descriptor.of(MediaTypes.OCI_LAYER, layer)),
                null,
                Map.of())
            .toJson();

    HttpResponse<byte[]> response =
        http.pushManifest(name, "v1", MediaTypes.OCI_MANIFEST, manifest);

    assertError(response, 404, "MANIFEST_BLOB_UNKNOWN");
    assertThat(json(response).path("errors").path(0).path("detail").path("digest").asText())
        .isEqualTo(Digest.sha256(layer).toString());
  }

  @Test
  void namesOutsideTheGrammarAreNameInvalid() throws Exception {
    assertError(http.get("/v2/Upper/Case/tags/list"), 400, "NAME_INVALID");
    assertError(http.get("/v2/a..b/tags/list"), 400, "NAME_INVALID");
    assertError(http.get("/v2/x/../etc/tags/list"), 400, "NAME_INVALID");
    assertError(
        http.send("POST", "/v2/x/%2e%2e/y/blobs/uploads/", new byte[0]), 400, "NAME_INVALID");
    assertError(http.get("/v2/" + "a".repeat(256) + "/tags/list"), 400, "NAME_INVALID");
  }

  @Test
  void tagsOutsideTheGrammarAreRefused() throws Exception {
    image("v1");
    byte[] manifest = http.get("/v2/" + name + "/manifests/v1").body();

    assertError(
        http.pushManifest(name, "-bad", MediaTypes.OCI_MANIFEST, manifest),
        400,
        "MANIFEST_INVALID");
    assertError(
        http.pushManifest(name, "sha256:nothex", MediaTypes.OCI_MANIFEST, manifest),
        400,
        "DIGEST_INVALID");
    assertError(http.get("/v2/" + name + "/manifests/" + "t".repeat(129)), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void manifestsAreServedByTagAndDigestWithTheirMediaType() throws Exception {
    Descriptor manifest = image("v1");

    HttpResponse<byte[]> byTag =
        http.get("/v2/" + name + "/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST);
    HttpResponse<byte[]> byDigest = http.head("/v2/" + name + "/manifests/" + manifest.digest());
    HttpResponse<byte[]> refused =
        http.get("/v2/" + name + "/manifests/v1", "Accept", MediaTypes.DOCKER_MANIFEST);

    assertThat(byTag.statusCode()).isEqualTo(200);
    assertThat(Digest.sha256(byTag.body())).isEqualTo(manifest.digest());
    assertThat(byTag.headers().firstValue("Content-Type")).contains(MediaTypes.OCI_MANIFEST);
    assertThat(byDigest.statusCode()).isEqualTo(200);
    assertThat(byDigest.headers().firstValue("Content-Length"))
        .contains(String.valueOf(manifest.size()));
    assertThat(byDigest.headers().firstValue("Docker-Content-Digest"))
        .contains(manifest.digest().toString());
    assertError(refused, 404, "MANIFEST_UNKNOWN");
    assertThat(
            http.get(
                    "/v2/" + name + "/manifests/v1",
                    "Accept",
                    MediaTypes.DOCKER_MANIFEST,
                    "Accept",
                    MediaTypes.OCI_MANIFEST)
                .statusCode())
        .as("Accept given as repeated headers, as skopeo sends it")
        .isEqualTo(200);
  }

  @Test
  void deletingATagKeepsTheManifestAndDeletingTheDigestRemovesIt() throws Exception {
    Descriptor manifest = image("v1");

    assertThat(http.delete("/v2/" + name + "/manifests/v1").statusCode()).isEqualTo(202);
    assertThat(http.head("/v2/" + name + "/manifests/v1").statusCode()).isEqualTo(404);
    assertThat(http.head("/v2/" + name + "/manifests/" + manifest.digest()).statusCode())
        .isEqualTo(200);
    assertThat(http.delete("/v2/" + name + "/manifests/" + manifest.digest()).statusCode())
        .isEqualTo(202);
    assertThat(http.head("/v2/" + name + "/manifests/" + manifest.digest()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void tagsArePagedWithNAndLastAndALinkHeader() throws Exception {
    image("a");
    for (String tag : List.of("b", "c", "d", "e")) {
      byte[] manifest = http.get("/v2/" + name + "/manifests/a").body();
      http.pushManifest(name, tag, MediaTypes.OCI_MANIFEST, manifest);
    }
    List<String> seen = new ArrayList<>();
    String next = "/v2/" + name + "/tags/list?n=2";
    int pages = 0;
    while (next != null) {
      HttpResponse<byte[]> page = http.get(next);
      json(page).path("tags").forEach(t -> seen.add(t.asText()));
      pages++;
      next =
          page.headers().firstValue("Link").map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
    }

    assertThat(seen).containsExactly("a", "b", "c", "d", "e");
    assertThat(pages).isEqualTo(3);
    assertThat(json(http.get("/v2/" + name + "/tags/list?n=2&last=c")).path("tags").toString())
        .isEqualTo("[\"d\",\"e\"]");
  }

  @Test
  void referrersAreListedFilteredAndPaged() throws Exception {
    Descriptor subject = image("v1");
    List<Digest> signatures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      signatures.add(referrer(subject, "application/vnd.example.signature", "sig" + i));
    }
    Digest sbom = referrer(subject, "application/vnd.example.sbom", "sbom");
    String path = "/v2/" + name + "/referrers/" + subject.digest();

    HttpResponse<byte[]> all = http.get(path);
    HttpResponse<byte[]> filtered = http.get(path + "?artifactType=application%2Fvnd.example.sbom");
    List<String> paged = new ArrayList<>();
    String next = path + "?n=2&artifactType=application%2Fvnd.example.signature";
    while (next != null) {
      HttpResponse<byte[]> page = http.get(next);
      assertThat(json(page).path("manifests").size()).isLessThanOrEqualTo(2);
      json(page).path("manifests").forEach(m -> paged.add(m.path("digest").asText()));
      next =
          page.headers().firstValue("Link").map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
    }

    assertThat(all.headers().firstValue("Content-Type")).contains(MediaTypes.OCI_INDEX);
    assertThat(json(all).path("manifests").size()).isEqualTo(4);
    assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
    assertThat(json(filtered).path("manifests").size()).isEqualTo(1);
    assertThat(json(filtered).path("manifests").path(0).path("digest").asText())
        .isEqualTo(sbom.toString());
    assertThat(json(filtered).path("manifests").path(0).path("annotations").path("n").asText())
        .isEqualTo("sbom");
    assertThat(paged)
        .containsExactlyInAnyOrderElementsOf(signatures.stream().map(Digest::toString).toList());
    assertThat(
            json(http.get("/v2/" + name + "/referrers/" + Digest.sha256(new byte[1])))
                .path("manifests")
                .size())
        .isZero();
  }

  private Digest referrer(Descriptor subject, String artifactType, String note) throws Exception {
    byte[] manifest =
        new Manifest(
                2,
                MediaTypes.OCI_MANIFEST,
                artifactType,
                MediaTypes.EMPTY_JSON,
                List.of(MediaTypes.EMPTY_JSON),
                subject,
                Map.of("n", note))
            .toJson();
    HttpResponse<byte[]> pushed =
        http.pushManifest(
            name, Digest.sha256(manifest).toString(), MediaTypes.OCI_MANIFEST, manifest);
    assertThat(pushed.statusCode()).isEqualTo(201);
    assertThat(pushed.headers().firstValue("OCI-Subject")).contains(subject.digest().toString());
    return Digest.sha256(manifest);
  }

  @Test
  void aBlobIsMountedFromAnotherRepositoryOrAnUploadStarts() throws Exception {
    byte[] bytes = Fixtures.randomBytes(500, 11);
    http.pushBlob(name, bytes);
    String target = name + "-mounted";

    HttpResponse<byte[]> mounted =
        http.send(
            "POST",
            "/v2/" + target + "/blobs/uploads/?mount=" + Digest.sha256(bytes) + "&from=" + name,
            new byte[0]);
    HttpResponse<byte[]> missing =
        http.send(
            "POST",
            "/v2/"
                + target
                + "/blobs/uploads/?mount="
                + Digest.sha256(new byte[3])
                + "&from="
                + name,
            new byte[0]);

    assertThat(mounted.statusCode()).isEqualTo(201);
    assertThat(http.get("/v2/" + target + "/blobs/" + Digest.sha256(bytes)).body())
        .isEqualTo(bytes);
    assertThat(missing.statusCode()).isEqualTo(202);
    assertThat(missing.headers().firstValue("Docker-Upload-UUID")).isPresent();
  }

  @Test
  void anIndexIsRefusedUntilItsManifestsArePushed() throws Exception {
    Descriptor child =
        Descriptor.of(MediaTypes.OCI_MANIFEST, Fixtures.utf8("{\"not\":\"pushed\"}"));
    byte[] index = Index.of(List.of(child)).toJson();

    assertError(
        http.pushManifest(name, "multi", MediaTypes.OCI_INDEX, index),
        404,
        "MANIFEST_BLOB_UNKNOWN");

    Descriptor pushed = image("child");
    byte[] good = Index.of(List.of(pushed)).toJson();
    assertThat(http.pushManifest(name, "multi", MediaTypes.OCI_INDEX, good).statusCode())
        .isEqualTo(201);
  }

  @Test
  void unknownThingsGetTheirSpecCodes() throws Exception {
    assertError(http.get("/v2/never/pushed/tags/list"), 404, "NAME_UNKNOWN");
    image("v1");
    assertError(
        http.get("/v2/" + name + "/blobs/" + Digest.sha256(new byte[7])), 404, "BLOB_UNKNOWN");
    assertError(http.get("/v2/" + name + "/blobs/sha256:short"), 400, "DIGEST_INVALID");
    assertError(http.get("/v2/" + name + "/manifests/nope"), 404, "MANIFEST_UNKNOWN");
    assertError(
        http.send("PATCH", "/v2/" + name + "/blobs/uploads/no-such-session", new byte[1]),
        404,
        "BLOB_UPLOAD_UNKNOWN");
    assertError(
        http.send("POST", "/v2/" + name + "/manifests/v1", new byte[0]), 405, "UNSUPPORTED");
  }

  @Test
  void theCatalogListsRepositoriesWithPaging() throws Exception {
    image("v1");

    HttpResponse<byte[]> all = http.get("/v2/_catalog");
    HttpResponse<byte[]> first = http.get("/v2/_catalog?n=1");

    List<String> names = new ArrayList<>();
    json(all).path("repositories").forEach(n -> names.add(n.asText()));
    assertThat(names).contains(name).isSorted();
    assertThat(json(first).path("repositories").size()).isEqualTo(1);
    if (names.size() > 1) {
      assertThat(first.headers().firstValue("Link"))
          .hasValueSatisfying(l -> assertThat(l).contains("rel=\"next\""));
    }
  }
}
