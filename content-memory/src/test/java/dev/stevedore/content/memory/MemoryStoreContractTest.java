package dev.stevedore.content.memory;

import dev.stevedore.testing.DeleterContract;
import dev.stevedore.testing.FullGraphContract;
import dev.stevedore.testing.StorageContract;
import dev.stevedore.testing.TagListerContract;
import dev.stevedore.testing.TagResolverContract;

class MemoryStoreContractTest
    implements StorageContract<MemoryStore>,
        TagResolverContract<MemoryStore>,
        FullGraphContract<MemoryStore>,
        DeleterContract<MemoryStore>,
        TagListerContract<MemoryStore> {

  @Override
  public MemoryStore newStore() {
    return new MemoryStore();
  }
}
