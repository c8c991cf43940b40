package dev.stevedore.content.ocilayout;

import dev.stevedore.testing.DeleterContract;
import dev.stevedore.testing.FullGraphContract;
import dev.stevedore.testing.StorageContract;
import dev.stevedore.testing.TagListerContract;
import dev.stevedore.testing.TagResolverContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreContractTest
    implements StorageContract<OciLayoutStore>,
        TagResolverContract<OciLayoutStore>,
        FullGraphContract<OciLayoutStore>,
        DeleterContract<OciLayoutStore>,
        TagListerContract<OciLayoutStore> {

  @TempDir Path dir;

  @Override
  public OciLayoutStore newStore() throws Exception {
    return OciLayoutStore.open(dir.resolve("layout"));
  }
}
