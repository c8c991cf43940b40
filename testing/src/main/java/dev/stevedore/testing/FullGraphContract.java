package dev.stevedore.testing;

import static dev.stevedore.testing.GraphStorageContract.digests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphStorage;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of stores that index every edge of the graph (memory, file, OCI layout): configs,
 * layers and index entries know the manifests that point at them, not only subjects. A registry
 * only knows referrers and meets {@link GraphStorageContract} alone.
 *
 * @param <S> the store type
 */
public interface FullGraphContract<S extends GraphStorage> extends GraphStorageContract<S> {

  /** Contract: Layers and config know their manifest. */
  @Test
  default void layersAndConfigKnowTheirManifest() throws Exception {
    S store = newStore();
    Descriptor layer1 =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("l1"));
    Descriptor layer2 =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("l2"));
    Descriptor manifest = Fixtures.pushImage(store, List.of(layer1, layer2));
    assertThat(digests(store.predecessors(layer1))).containsExactly(manifest.digest());
    assertThat(digests(store.predecessors(layer2))).containsExactly(manifest.digest());
    assertThat(digests(store.predecessors(MediaTypes.EMPTY_JSON))).contains(manifest.digest());
  }

  /** Contract: A shared layer knows every manifest. */
  @Test
  default void aSharedLayerKnowsEveryManifest() throws Exception {
    S store = newStore();
    Descriptor shared =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("shared"));
    Descriptor own1 =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("own1"));
    Descriptor own2 =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("own2"));
    Descriptor m1 = Fixtures.pushImage(store, List.of(shared, own1));
    Descriptor m2 = Fixtures.pushImage(store, List.of(shared, own2));
    assertThat(digests(store.predecessors(shared)))
        .containsExactlyInAnyOrder(m1.digest(), m2.digest());
  }

  /** Contract: Manifests know their index. */
  @Test
  default void manifestsKnowTheirIndex() throws Exception {
    S store = newStore();
    Descriptor amd = Fixtures.pushConfig(store, Platform.of("linux", "amd64"));
    Descriptor arm = Fixtures.pushConfig(store, Platform.of("linux", "arm64"));
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("base"));
    Descriptor m1 =
        Fixtures.pushManifest(store, null, amd, List.of(layer), null, java.util.Map.of());
    Descriptor m2 =
        Fixtures.pushManifest(store, null, arm, List.of(layer), null, java.util.Map.of());
    Descriptor index =
        Fixtures.pushIndex(
            store,
            List.of(
                m1.withPlatform(Platform.of("linux", "amd64")),
                m2.withPlatform(Platform.of("linux", "arm64"))));
    assertThat(digests(store.predecessors(m1))).containsExactly(index.digest());
    assertThat(digests(store.predecessors(m2))).containsExactly(index.digest());
    assertThat(digests(store.predecessors(layer)))
        .containsExactlyInAnyOrder(m1.digest(), m2.digest());
  }
}
