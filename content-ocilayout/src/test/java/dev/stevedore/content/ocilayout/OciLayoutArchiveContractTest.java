package dev.stevedore.content.ocilayout;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.PageConsumer;
import dev.stevedore.content.TagLister;
import dev.stevedore.testing.FullGraphContract;
import dev.stevedore.testing.StorageContract;
import dev.stevedore.testing.TagListerContract;
import dev.stevedore.testing.TagResolverContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side of the contract suite against the archive form: writes go to a directory layout,
 * every read is answered by an {@link OciLayoutArchive} exported from it (re-exported after each
 * change), so fetch, exists, resolve, predecessors and tag listing are the archive's.
 */
class OciLayoutArchiveContractTest
    implements StorageContract<OciLayoutArchiveContractTest.ArchiveBacked>,
        TagResolverContract<OciLayoutArchiveContractTest.ArchiveBacked>,
        FullGraphContract<OciLayoutArchiveContractTest.ArchiveBacked>,
        TagListerContract<OciLayoutArchiveContractTest.ArchiveBacked> {

  @TempDir Path dir;

  private @Nullable ArchiveBacked store;

  @Override
  public ArchiveBacked newStore() throws Exception {
    store =
        new ArchiveBacked(OciLayoutStore.open(dir.resolve("staging")), dir.resolve("layout.tar"));
    return store;
  }

  @AfterEach
  void closeArchive() throws IOException {
    if (store != null) {
      store.close();
    }
  }

  /** Writes to a staging layout; reads from its archive. */
  static final class ArchiveBacked implements GraphTarget, TagLister {
    private final OciLayoutStore staging;
    private final Path tar;
    private @Nullable OciLayoutArchive archive;

    ArchiveBacked(OciLayoutStore staging, Path tar) {
      this.staging = staging;
      this.tar = tar;
    }

    private synchronized OciLayoutArchive archive() throws IOException {
      if (archive == null) {
        staging.exportArchive(tar);
        archive = OciLayoutStore.openArchive(tar);
      }
      return archive;
    }

    private synchronized void changed() throws IOException {
      close();
    }

    synchronized void close() throws IOException {
      if (archive != null) {
        archive.close();
        archive = null;
      }
    }

    @Override
    public InputStream fetch(Descriptor target) throws IOException {
      return archive().fetch(target);
    }

    @Override
    public boolean exists(Descriptor target) throws IOException {
      return archive().exists(target);
    }

    @Override
    public void push(Descriptor expected, InputStream content) throws IOException {
      try {
        staging.push(expected, content);
      } finally {
        changed();
      }
    }

    @Override
    public Descriptor resolve(String reference) throws IOException {
      return archive().resolve(reference);
    }

    @Override
    public void tag(Descriptor desc, String reference) throws IOException {
      staging.tag(desc, reference);
      changed();
    }

    @Override
    public List<Descriptor> predecessors(Descriptor node) throws IOException {
      return archive().predecessors(node);
    }

    @Override
    public void tags(@Nullable String last, PageConsumer<String> consumer) throws IOException {
      archive().tags(last, consumer);
    }

    @Override
    public String toString() {
      try {
        return "archive " + archive().file();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
