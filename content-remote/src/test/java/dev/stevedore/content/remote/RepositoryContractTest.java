package dev.stevedore.content.remote;

import dev.stevedore.testing.DeleterContract;
import dev.stevedore.testing.GraphStorageContract;
import dev.stevedore.testing.RegistryExtension;
import dev.stevedore.testing.StorageContract;
import dev.stevedore.testing.TagListerContract;
import dev.stevedore.testing.TagResolverContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The storage contract suite against a real registry process: each store is a fresh repository. */
@Timeout(120)
class RepositoryContractTest
    implements StorageContract<Repository>,
        TagResolverContract<Repository>,
        GraphStorageContract<Repository>,
        DeleterContract<Repository>,
        TagListerContract<Repository> {

  @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();
  private static final AtomicInteger REPOSITORIES = new AtomicInteger();
  private static Registry registry;

  @BeforeAll
  static void connect() {
    registry = Registry.builder().host(REGISTRY.registry().hostPort()).plainHttp().build();
  }

  @AfterAll
  static void disconnect() {
    registry.close();
  }

  @Override
  public Repository newStore() throws Exception {
    return registry.repository("contract/store-" + REPOSITORIES.incrementAndGet());
  }
}
