package dev.stevedore.content.file;

import dev.stevedore.content.ContentException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FileStore} refused an operation for a reason of its own: a name already in use, a path
 * that would leave the working directory, a file that may not be overwritten, an archive entry that
 * is unsafe to unpack. Nothing was written when this is thrown.
 *
 * <p>Content problems are reported with the usual exceptions instead: a blob that does not match
 * its descriptor (or a directory whose uncompressed tar does not match its {@code
 * io.deis.oras.content.digest} annotation) is a {@link
 * dev.stevedore.content.DigestMismatchException}.
 */
public class FileStoreException extends ContentException {
  private static final long serialVersionUID = 1L;

  /** Why the file store refused. */
  public enum Reason {
    /**
     * The name is already used in this store by other content (oras-go's {@code ErrDuplicateName}):
     * {@link FileStore#add} twice with one name, or a push of different content under a name
     * already written.
     */
    DUPLICATE_NAME,
    /**
     * The title names a path outside the working directory (with {@code ..}, as an absolute path,
     * or through a symbolic link that leads out) and path traversal is not allowed (oras-go's
     * {@code ErrPathTraversalDisallowed}).
     */
    PATH_TRAVERSAL,
    /**
     * The title names a file or directory that exists, and overwriting is disabled (oras-go's
     * {@code ErrOverwriteDisallowed}).
     */
    OVERWRITE_DISALLOWED,
    /**
     * A tar entry of a directory blob is unsafe or unsupported: its path escapes the target
     * directory, it is a symbolic or hard link that points outside it, a later entry would be
     * written through a symbolic link, or it is a device file or FIFO.
     */
    UNSAFE_ARCHIVE_ENTRY,
    /**
     * A file and a directory collide: a file blob's title names an existing directory, or an
     * unpacked tree has a file where the existing directory it is merged into has a directory.
     */
    PATH_CONFLICT,
    /**
     * The title cannot be a file: it is empty, names the working directory itself, or is not a
     * valid path.
     */
    INVALID_NAME,
    /**
     * A directory blob decompresses to more than the unpack limit ({@link
     * FileStoreOptions#maxUnpackedBytes()}, {@link FileStoreOptions#maxUnpackRatio()}): a
     * decompression bomb, or a tree larger than allowed. Nothing of it is left on disk.
     */
    UNPACK_LIMIT_EXCEEDED
  }

  /** The reason, serialized with the exception. */
  private final Reason reason;

  /** The name, serialized with the exception. */
  private final String name;

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param name the blob's name (title) the failure is about
   * @param message what failed, on what, and what to do
   */
  public FileStoreException(Reason reason, String name, String message) {
    this(reason, name, message, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param reason why
   * @param name the blob's name (title) the failure is about
   * @param message what failed, on what, and what to do
   * @param cause the underlying failure, may be null
   */
  public FileStoreException(Reason reason, String name, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Why the store refused.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * The name (title) the failure is about.
   *
   * @return the name
   */
  public String name() {
    return name;
  }
}
