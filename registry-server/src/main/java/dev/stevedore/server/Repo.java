package dev.stevedore.server;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.MediaTypes;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * A served repository: its store, and the descriptors of the blobs pushed through the server
 * (stores are addressed by descriptor, the API by digest alone; a memory store also keys by media
 * type, so the descriptor a blob was stored under is the one to fetch it with).
 */
final class Repo {
  private final String name;
  private final GraphTarget store;
  private final RepositoryProvider provider;
  private final ConcurrentMap<Digest, Descriptor> known = new ConcurrentHashMap<>();

  Repo(String name, GraphTarget store, RepositoryProvider provider) {
    this.name = name;
    this.store = store;
    this.provider = provider;
  }

  String name() {
    return name;
  }

  GraphTarget store() {
    return store;
  }

  /**
   * The descriptor a blob is stored under, by digest.
   *
   * @return the descriptor, or null when the repository does not hold the blob
   */
  @Nullable Descriptor blob(Digest digest) throws IOException {
    Descriptor remembered = known.get(digest);
    if (remembered != null) {
      if (store.exists(remembered)) {
        return remembered;
      }
      known.remove(digest, remembered);
    }
    OptionalLong size = provider.blobSize(name, store, digest);
    if (size.isPresent()) {
      return Descriptor.of(MediaTypes.OCTET_STREAM, digest, size.getAsLong());
    }
    return null;
  }

  /** The remembered descriptor of a digest, if pushed through the server (no store access). */
  @Nullable Descriptor remembered(Digest digest) {
    return known.get(digest);
  }

  void remember(Descriptor stored) {
    known.put(stored.digest(), stored.plain());
  }

  void forget(Digest digest) {
    known.remove(digest);
  }
}
