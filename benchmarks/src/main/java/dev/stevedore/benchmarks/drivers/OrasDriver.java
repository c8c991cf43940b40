package dev.stevedore.benchmarks.drivers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import land.oras.ContainerRef;
import land.oras.CopyUtils;
import land.oras.LayoutRef;
import land.oras.OCILayout;
import land.oras.Platform;
import land.oras.Registry;

/**
 * The oras-java peer: one {@code copy} through its public API ({@link CopyUtils#copy} between a
 * {@link Registry} and an {@link OCILayout}), as a user of that SDK would write it.
 *
 * <pre>
 * copy SRC DST [--concurrency N] [--platform os/arch[/variant]]
 *   SRC, DST: oci:PATH:tag | 127.0.0.1:PORT/repo:tag
 * </pre>
 */
public final class OrasDriver {
  private OrasDriver() {}

  public static void main(String[] args) {
    Args a = Args.parse(args);
    Registry registry = Registry.builder().insecure().withParallelism(a.concurrency()).build();
    CopyUtils.CopyOptions options = CopyUtils.CopyOptions.shallow();
    if (a.platform() != null) {
      String[] p = a.platform().split("/", 0); // limit 0: trailing empty parts dropped
      // Platform.matches compares variants exactly, so linux/arm64 would not match linux/arm64/v8;
      // normalize as containerd's matcher does, as a user of the SDK would have to.
      String variant = p.length > 2 ? p[2] : p[1].equals("arm64") ? "v8" : null;
      Platform platform =
          variant != null ? Platform.of(p[0], p[1], variant) : Platform.of(p[0], p[1]);
      options = options.withPlatformFilter(Set.of(platform));
    }
    try {
      copy(a.source(), a.destination(), registry, options);
    } catch (RuntimeException | Error e) {
      e.printStackTrace();
      // oras-java's layer-transfer pool threads are non-daemon: without this a failure hangs the
      // JVM.
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * One copy with a registry client the caller keeps (the in-process set), no platform filter.
   *
   * @param src {@code oci:PATH:tag} or {@code host:port/repo:tag}
   * @param dst the same forms
   * @param registry the client ({@code Registry.builder().insecure().withParallelism(N)})
   */
  public static void copy(String src, String dst, Registry registry) {
    copy(src, dst, registry, CopyUtils.CopyOptions.shallow());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void copy(
      String src, String dst, Registry registry, CopyUtils.CopyOptions options) {
    Object[] s = endpoint(src, registry);
    Object[] d = endpoint(dst, registry);
    CopyUtils.copy(
        (land.oras.OCI) s[0],
        (land.oras.Ref) s[1],
        (land.oras.OCI) d[0],
        (land.oras.Ref) d[1],
        options);
  }

  private static Object[] endpoint(String target, Registry registry) {
    if (target.startsWith("oci:")) {
      String rest = target.substring("oci:".length());
      int colon = rest.lastIndexOf(':');
      Path dir = Path.of(rest.substring(0, colon)).toAbsolutePath();
      try {
        // OCILayout creates the layout directory but not its parents.
        Files.createDirectories(dir.getParent());
        if (!"1".equals(System.getenv("ORAS_NO_WORKAROUND"))) {
          // OCILayout.ensureAlgorithmPath checks, then creates blobs/sha256 from every transfer
          // thread:
          // concurrent first pushes fail with FileAlreadyExistsException. A user would pre-create
          // it.
          Files.createDirectories(dir.resolve("blobs/sha256"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      OCILayout layout = OCILayout.builder().defaults(dir).build();
      return new Object[] {layout, LayoutRef.parse(dir + ":" + rest.substring(colon + 1))};
    }
    return new Object[] {registry, ContainerRef.parse(target)};
  }
}
