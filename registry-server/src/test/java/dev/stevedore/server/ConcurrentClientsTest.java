package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.testing.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 200 clients push and pull the same repository at once: nothing is lost, nothing is corrupt. */
@Timeout(300)
class ConcurrentClientsTest {
  private static final int CLIENTS = 200;
  private static final int ROUNDS = 1;
  private static final String NAME = "busy/app";

  @TempDir Path temp;

  @Test
  void twoHundredClientsPushingAndPullingOneRepositoryLoseNothing() throws Exception {
    byte[] shared = Fixtures.randomBytes(200_000, 42);
    try (RegistryServer server =
        RegistryServer.builder().repositories(RepositoryProvider.ociLayouts(temp)).start()) {
      Http http = new Http(server.url());
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<List<String>>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          clients.add(pool.submit(() -> run(http, client, shared)));
        }
        List<String> tags = new ArrayList<>();
        for (Future<List<String>> f : clients) {
          tags.addAll(f.get());
        }

        List<String> listed = new ArrayList<>();
        Http.json(http.get("/v2/" + NAME + "/tags/list"))
            .path("tags")
            .forEach(t -> listed.add(t.asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(tags);
      } finally {
        pool.shutdownNow();
      }
    }
    Path blobs = temp.resolve(NAME).resolve("blobs/sha256");
    try (Stream<Path> files = Files.list(blobs)) {
      List<Path> all = files.toList();
      // per client and round: a layer and a manifest; plus the shared blob and the empty config
      assertThat(all).hasSize(CLIENTS * ROUNDS * 2 + 2);
      for (Path file : all) {
        assertThat(Digest.sha256(Files.readAllBytes(file)).encoded())
            .as(file.toString())
            .isEqualTo(file.getFileName().toString());
      }
    }
    try (Stream<Path> files = Files.list(temp.resolve(NAME).resolve("ingest"))) {
      assertThat(files.toList()).isEmpty();
    }
  }

  private static List<String> run(Http http, int client, byte[] shared) throws Exception {
    List<String> tags = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      byte[] layer = Fixtures.randomBytes(20_000 + client, client * 100L + round);
      HttpResponse<byte[]> started =
          http.send("POST", "/v2/" + NAME + "/blobs/uploads/", new byte[0]);
      assertThat(started.statusCode()).isEqualTo(202);
      String location = started.headers().firstValue("Location").orElseThrow();
      assertThat(
              http.send("PATCH", location, layer, "Content-Type", "application/octet-stream")
                  .statusCode())
          .isEqualTo(202);
      assertThat(
              http.send("PUT", location + "?digest=" + Digest.sha256(layer), new byte[0])
                  .statusCode())
          .isEqualTo(201);
      assertThat(http.pushBlob(NAME, shared).statusCode()).isEqualTo(201);
      assertThat(http.pushBlob(NAME, MediaTypes.emptyJsonBytes()).statusCode()).isEqualTo(201);
      byte[] manifest =
          new Manifest(
                  2,
                  MediaTypes.OCI_MANIFEST,
                  null,
                  MediaTypes.EMPTY_JSON,
                  List.of(
                      Descriptor.of(MediaTypes.OCI_LAYER, layer),
                      Descriptor.of(MediaTypes.OCI_LAYER, shared)),
                  null,
                  Map.of())
              .toJson();
      String tag = "c" + client + "-r" + round;
      assertThat(http.pushManifest(NAME, tag, MediaTypes.OCI_MANIFEST, manifest).statusCode())
          .isEqualTo(201);
      tags.add(tag);

      assertThat(Digest.sha256(http.get("/v2/" + NAME + "/manifests/" + tag).body()))
          .isEqualTo(Digest.sha256(manifest));
      assertThat(http.get("/v2/" + NAME + "/blobs/" + Digest.sha256(layer)).body())
          .isEqualTo(layer);
      assertThat(Digest.sha256(http.get("/v2/" + NAME + "/blobs/" + Digest.sha256(shared)).body()))
          .isEqualTo(Digest.sha256(shared));
    }
    return tags;
  }
}
