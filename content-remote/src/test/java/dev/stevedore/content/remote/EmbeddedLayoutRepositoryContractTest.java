package dev.stevedore.content.remote;

import dev.stevedore.server.EmbeddedRegistryExtension;
import dev.stevedore.testing.DeleterContract;
import dev.stevedore.testing.GraphStorageContract;
import dev.stevedore.testing.StorageContract;
import dev.stevedore.testing.TagListerContract;
import dev.stevedore.testing.TagResolverContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage contract suite against Stevedore's own registry server, in-process, over OCI layouts,
 * with chunked uploads (256 KiB chunks) for blobs over 1 KiB. Unlike docker-registry it has the
 * referrers API (predecessors come from it, not from the tag schema) and pages tag lists (the
 * client's pages are of 2 here).
 */
@Timeout(120)
class EmbeddedLayoutRepositoryContractTest
    implements StorageContract<Repository>,
        TagResolverContract<Repository>,
        GraphStorageContract<Repository>,
        DeleterContract<Repository>,
        TagListerContract<Repository> {

  @RegisterExtension
  static final EmbeddedRegistryExtension REGISTRY = EmbeddedRegistryExtension.ociLayouts();

  private static final AtomicInteger REPOSITORIES = new AtomicInteger();
  private static Registry registry;

  @BeforeAll
  static void connect() {
    registry =
        Registry.builder()
            .host(REGISTRY.hostPort())
            .plainHttp()
            .tagListPageSize(2)
            .referrerListPageSize(2)
            .chunkedUploads(1024, 256 * 1024)
            .build();
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
