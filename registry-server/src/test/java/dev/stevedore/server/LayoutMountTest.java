package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Digest;
import dev.stevedore.testing.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cross-repository mount between two layouts under one root shares the blob's file (a hard link)
 * instead of copying it, as docker-registry shares one stored blob between its repositories.
 */
@Timeout(60)
class LayoutMountTest {
  @TempDir Path temp;

  @Test
  void aMountBetweenLayoutsSharesTheFileAndOutlivesTheSource() throws Exception {
    Path root = temp.resolve("layouts");
    byte[] bytes = Fixtures.randomBytes(300_000, 5);
    Digest digest = Digest.sha256(bytes);
    try (RegistryServer server =
        RegistryServer.builder().repositories(RepositoryProvider.ociLayouts(root)).start()) {
      Http http = new Http(server.url());
      assertThat(http.pushBlob("team/source", bytes).statusCode()).isEqualTo(201);

      HttpResponse<byte[]> mounted =
          http.send(
              "POST",
              "/v2/team/copy/blobs/uploads/?mount=" + digest + "&from=team/source",
              new byte[0]);

      assertThat(mounted.statusCode()).isEqualTo(201);
      Path source = root.resolve("team/source/blobs/sha256/" + digest.encoded());
      Path copy = root.resolve("team/copy/blobs/sha256/" + digest.encoded());
      assertThat(Files.isSameFile(copy, source)).isTrue();

      assertThat(http.delete("/v2/team/source/blobs/" + digest).statusCode()).isEqualTo(202);
      assertThat(Files.exists(source)).isFalse();
      assertThat(http.get("/v2/team/copy/blobs/" + digest).body()).isEqualTo(bytes);
    }
  }
}
