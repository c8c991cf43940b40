package dev.stevedore.content.file;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.testing.FullGraphContract;
import dev.stevedore.testing.StorageContract;
import dev.stevedore.testing.TagResolverContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class FileStoreContractTest
    implements StorageContract<FileStore>,
        TagResolverContract<FileStore>,
        FullGraphContract<FileStore> {

  @TempDir Path dir;

  private final List<FileStore> opened = new ArrayList<>();

  @Override
  public FileStore newStore() {
    FileStore store = FileStore.open(dir.resolve("store-" + opened.size()));
    opened.add(store);
    return store;
  }

  @Override
  public Descriptor blobDescriptor(byte[] content, String name) {
    return Descriptor.of("application/vnd.stevedore.test.blob", content)
        .withAnnotations(Map.of(Annotations.TITLE, "blobs/" + name + ".bin"));
  }

  @AfterEach
  void closeStores() throws IOException {
    for (FileStore store : opened) {
      store.close();
    }
  }
}
