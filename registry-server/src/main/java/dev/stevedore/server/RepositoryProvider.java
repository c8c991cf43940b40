package dev.stevedore.server;

import dev.stevedore.content.Digest;
import dev.stevedore.content.GraphTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a {@link RegistryServer} finds the store of each repository name: an existing one, or a new
 * one created on the first push (or refused). Implementations must be thread-safe; the server calls
 * them from its worker threads and caches what {@link #open} and {@link #create} return for its
 * lifetime, so each name is opened once.
 *
 * <p>Two are ready: {@link #ociLayouts(Path)} (an OCI layout directory per repository) and {@link
 * #memory()} (memory stores). Names handed in always follow the distribution-spec grammar ({@code
 * [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/...)*}), so they contain no {@code ..} and no absolute path.
 */
public interface RepositoryProvider {

  /**
   * The store of an existing repository.
   *
   * @param name the repository name
   * @return the store, or empty when there is no such repository
   * @throws IOException if the store exists but cannot be opened
   */
  Optional<GraphTarget> open(String name) throws IOException;

  /**
   * Creates a repository, on the first push to a name {@link #open} does not know.
   *
   * @param name the repository name
   * @return the new store
   * @throws dev.stevedore.content.UnsupportedContentException if this provider does not create
   *     repositories of that name (answered 403 DENIED with the exception's message)
   * @throws IOException if the store cannot be created
   */
  GraphTarget create(String name) throws IOException;

  /**
   * The names of the existing repositories, for the catalog.
   *
   * @return the names, sorted
   * @throws IOException if they cannot be listed
   */
  List<String> repositories() throws IOException;

  /**
   * The size of a blob known only by its digest, for stores that can tell (an OCI layout can: its
   * blobs are files named by digest). The server remembers the blobs pushed through it; this finds
   * those that were there before. The default knows none.
   *
   * @param name the repository name
   * @param store the repository's store
   * @param digest the blob's digest
   * @return the size, or empty when the store does not hold the blob or cannot tell
   * @throws IOException if the store cannot be read
   */
  default OptionalLong blobSize(String name, GraphTarget store, Digest digest) throws IOException {
    return OptionalLong.empty();
  }

  /**
   * One OCI image layout directory per repository under {@code root}: repository {@code a/b} is the
   * layout {@code root/a/b}. Layouts already there are served as they are; a push to a new name
   * creates its layout.
   *
   * @param root the directory (created when missing)
   * @return the provider
   */
  static RepositoryProvider ociLayouts(Path root) {
    return new OciLayoutProvider(root, null);
  }

  /**
   * One OCI image layout served as a single repository of the given name; pushes to other names are
   * refused.
   *
   * @param name the repository name clients use
   * @param layout the layout directory
   * @return the provider
   * @throws IllegalArgumentException if the name breaks the repository grammar
   */
  static RepositoryProvider ociLayout(String name, Path layout) {
    return new OciLayoutProvider(layout, name);
  }

  /**
   * A memory store per repository, created on the first push and gone when the server stops.
   *
   * @return the provider
   */
  static RepositoryProvider memory() {
    return new MemoryProvider();
  }
}
