package dev.stevedore.content.ocilayout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.testing.AutoGcContract;
import dev.stevedore.testing.DeleterContract;
import dev.stevedore.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreAutoGcTest
    implements AutoGcContract<OciLayoutStore>, DeleterContract<OciLayoutStore> {

  @TempDir Path dir;

  @Override
  public OciLayoutStore newStore() throws Exception {
    return OciLayoutStore.open(dir.resolve("layout"), OciLayoutOptions.defaults().withAutoGc(true));
  }

  @Test
  void aChildThatIndexJsonListsStaysWhenItsIndexIsDeleted() throws Exception {
    OciLayoutStore store = newStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("child"));
    Descriptor child = Fixtures.pushImage(store, List.of(layer));
    Descriptor index = Fixtures.pushIndex(store, List.of(child));
    store.delete(index);
    assertThat(store.exists(index)).isFalse();
    assertThat(store.exists(child)).isTrue();
    assertThat(store.exists(layer)).isTrue();
    assertThat(store.indexEntries()).extracting(Descriptor::digest).containsExactly(child.digest());
  }

  @Test
  void autoGcRemovesDeletedReferrersFromIndexJsonAndAReopenedLayoutAgrees() throws Exception {
    OciLayoutStore store = newStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("signed"));
    Descriptor image = Fixtures.pushImage(store, List.of(layer));
    Descriptor signature =
        Fixtures.pushReferrer(
            store, image, "application/vnd.stevedore.signature", Fixtures.utf8("sig"));
    store.tag(image, "v1");
    store.delete(image);
    OciLayoutStore reopened = OciLayoutStore.open(dir.resolve("layout"));
    assertThat(reopened.indexEntries()).isEmpty();
    assertThat(reopened.exists(signature)).isFalse();
    assertThat(reopened.gc().removedBlobs())
        .isEmpty(); // auto-GC left nothing to collect but the empty config
  }

  @Test
  void withoutAutoGcDeleteRemovesTheTargetOnly() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(dir.resolve("plain"));
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("stays"));
    Descriptor image = Fixtures.pushImage(store, List.of(layer));
    Descriptor signature =
        Fixtures.pushReferrer(
            store, image, "application/vnd.stevedore.signature", Fixtures.utf8("sig"));
    store.delete(image);
    assertThat(store.exists(layer)).isTrue();
    assertThat(store.exists(signature)).isTrue();
  }
}
