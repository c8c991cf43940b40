package dev.stevedore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import dev.stevedore.content.remote.Registry;
import dev.stevedore.content.remote.Repository;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyGraphOptions;
import dev.stevedore.testing.FaultProxy;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.RegistryExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A copy whose mount the real registry declines (the candidate repository does not have the blob):
 * the registry's answer opens an upload session, and the copy engine uploads into it, as oras-go
 * does, instead of cancelling it and starting another. Seen on the wire through a proxy.
 */
@Timeout(60)
class DeclinedMountTest {
  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();

  @Test
  void theBlobGoesUpInTheSessionTheDeclinedMountOpened() throws Exception {
    try (FaultProxy proxy =
            FaultProxy.start(REGISTRY.registry().host(), REGISTRY.registry().port());
        Registry registry = Registry.builder().host(proxy.hostPort()).plainHttp().build();
        Repository source = registry.repository("declined/source");
        Repository destination = registry.repository("declined/destination")) {
      Descriptor layer =
          Fixtures.pushBlob(source, MediaTypes.OCI_LAYER_GZIP, Fixtures.randomBytes(5000, 31));
      Descriptor image =
          Fixtures.pushManifest(
              source,
              null,
              Fixtures.pushConfig(source, Platform.of("linux", "amd64")),
              List.of(layer),
              null,
              Map.of());
      int before = proxy.requestLines().size();
      List<Descriptor> mounted = Collections.synchronizedList(new ArrayList<>());
      List<Descriptor> copied = Collections.synchronizedList(new ArrayList<>());

      Copy.copyGraph(
          source,
          destination,
          image,
          CopyGraphOptions.defaults()
              .withMountFrom(d -> List.of("declined/empty"))
              .withOnMounted(mounted::add)
              .withPostCopy(copied::add));

      List<String> lines = proxy.requestLines().subList(before, proxy.requestLines().size());
      String uploads = "/v2/declined/destination/blobs/uploads/";
      // config and layer: each one mount request (declined) and one PUT into its session
      assertThat(lines.stream().filter(l -> l.startsWith("POST " + uploads + "?mount=")))
          .hasSize(2);
      assertThat(lines.stream().filter(l -> l.startsWith("POST ")).count()).isEqualTo(2);
      assertThat(lines.stream().filter(l -> l.startsWith("PUT " + uploads))).hasSize(2);
      assertThat(lines).noneMatch(l -> l.startsWith("DELETE "));
      assertThat(mounted).isEmpty();
      assertThat(copied).contains(layer, image);
      assertThat(destination.exists(layer)).isTrue();
      assertThat(destination.exists(image)).isTrue();
    }
  }
}
