package dev.stevedore.cli;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.Digester;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Pushers;
import dev.stevedore.content.UnsupportedContentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore blob fetch|push|delete}: raw blobs. */
@Command(
    name = "blob",
    description = "Fetch, push or delete a raw blob.",
    subcommands = {BlobCommand.Fetch.class, BlobCommand.Push.class, BlobCommand.Delete.class})
final class BlobCommand {

  static Digest requireDigest(TargetRef ref) throws InvalidReferenceException {
    if (ref.digest() == null) {
      throw new InvalidReferenceException(
          "blob target \"" + ref + "\" needs a digest: TARGET@sha256:...");
    }
    return ref.digest();
  }

  /** The descriptor of a blob known by digest: its size from the store. */
  static Descriptor describe(Stores stores, TargetRef ref, Digest digest) throws IOException {
    return switch (ref.kind()) {
      case REGISTRY -> stores.repository(ref).resolveBlob(digest);
      case OCI_LAYOUT -> {
        Path blob =
            ref.path().resolve("blobs").resolve(digest.algorithm()).resolve(digest.encoded());
        if (!Files.isRegularFile(blob)) {
          throw new NotFoundException(digest + ": blob not found in " + ref.path());
        }
        yield Descriptor.of(MediaTypes.OCTET_STREAM, digest, Files.size(blob));
      }
      case OCI_ARCHIVE ->
          throw new UnsupportedContentException("blob commands do not read oci-archive targets");
    };
  }

  /** {@code blob fetch TARGET@digest -o FILE}. */
  @Command(
      name = "fetch",
      description = {
        "Download a blob, verified, to a file or stdout.",
        "An existing file is written into (it keeps its inode and links); devices, FIFOs and symlinks are written through."
      })
  static final class Fetch extends BaseCommand {
    // picocli sets this required argument before call().
    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "TARGET@DIGEST")
    String target;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write to FILE ('-': stdout).")
    @Nullable String file;

    @Option(
        names = "--descriptor",
        description = "Print the blob's descriptor (JSON) instead of its content.")
    boolean descriptor;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      Digest digest = requireDigest(ref);
      if (file == null && !descriptor) {
        throw new UsageException("say where the blob goes: -o FILE, or -o - for standard output");
      }
      try (Stores stores = new Stores(options(), context())) {
        var store = stores.openSource(ref);
        Descriptor desc = describe(stores, ref, digest);
        if (descriptor) {
          String json = new String(desc.toJson(), java.nio.charset.StandardCharsets.UTF_8);
          spec.commandLine().getOut().println(json);
          spec.commandLine().getOut().flush();
          if (file == null) {
            return 0;
          }
        }
        if ("-".equals(file)) {
          try (InputStream in = store.fetch(desc)) {
            OutputStream out = System.out;
            in.transferTo(out);
            out.flush();
          }
        } else {
          FileOutput.write(
              resolvePath(java.util.Objects.requireNonNull(file, "-o FILE, checked above")),
              () -> store.fetch(desc));
          output().note("Downloaded " + digest + " to " + file);
        }
      }
      return 0;
    }
  }

  /** {@code blob push TARGET FILE|-}. */
  @Command(
      name = "push",
      description = {
        "Upload a file as a blob; prints its digest.",
        "FILE '-' reads standard input, streamed to a registry (size and digest computed on the way);"
            + " a pipe, FIFO or device is read once (spooled to a temporary file)."
      })
  static final class Push extends BaseCommand {
    // picocli sets this required argument before call().
    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "TARGET")
    String target;

    // picocli sets this required argument before call().
    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "1", paramLabel = "FILE")
    String file;

    @Option(
        names = "--media-type",
        paramLabel = "TYPE",
        description = "Media type (default: ${DEFAULT-VALUE}).")
    String mediaType = MediaTypes.OCTET_STREAM;

    @Option(
        names = "--size",
        paramLabel = "BYTES",
        description = "The expected size; the push fails if the content differs.")
    @Nullable Long size;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      if ("-".equals(file) && size == null) {
        try (Stores stores = new Stores(options(), context())) {
          GraphTarget store = stores.openDestination(ref);
          Path spoolDir = ref.kind() == TargetRef.Kind.OCI_LAYOUT ? ref.path() : null;
          return printed(Pushers.pushStream(store, mediaType, context().stdin(), spoolDir));
        }
      }
      Path spool = null;
      try {
        Path path;
        if ("-".equals(file) || !Files.isRegularFile(resolvePath(file))) {
          // stdin, a pipe, a FIFO, /dev/stdin: readable once, so spool it while hashing
          spool = Files.createTempFile("stevedore-blob", ".spool");
          try (InputStream in =
              "-".equals(file) ? context().stdin() : Files.newInputStream(resolvePath(file))) {
            Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
          }
          path = spool;
        } else {
          path = resolvePath(file);
        }
        Digester digester = Digester.sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(path)) {
          int n;
          while ((n = in.read(buffer)) >= 0) {
            digester.update(buffer, 0, n);
          }
        }
        Descriptor desc = Descriptor.of(mediaType, digester.digest(), Files.size(path));
        if (size != null && size != desc.size()) {
          throw new dev.stevedore.content.InvalidDescriptorException(
              file
                  + " holds "
                  + desc.size()
                  + " bytes, not the "
                  + size
                  + " given with --size; nothing was pushed");
        }
        try (Stores stores = new Stores(options(), context());
            InputStream in = Files.newInputStream(path)) {
          GraphTarget store = stores.openDestination(ref);
          if (!store.exists(desc)) {
            try {
              store.push(desc, in);
            } catch (AlreadyExistsException e) {
              // pushed meanwhile: fine
            }
          }
        }
        return printed(desc);
      } finally {
        if (spool != null) {
          Files.deleteIfExists(spool);
        }
      }
    }

    private int printed(Descriptor desc) {
      Output output = output();
      output.result(desc.digest().toString());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("mediaType", desc.mediaType());
      json.put("digest", desc.digest().toString());
      json.put("size", desc.size());
      output.json(json);
      return 0;
    }
  }

  /** {@code blob delete TARGET@digest}. */
  @Command(
      name = "delete",
      description = "Delete a blob (asks first on a terminal; -f/--force otherwise).")
  static final class Delete extends BaseCommand {
    // picocli sets this required argument before call().
    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "TARGET@DIGEST")
    String target;

    @Option(
        names = {"-f", "--force"},
        description = "Delete without asking.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      Digest digest = requireDigest(ref);
      try (Stores stores = new Stores(options(), context())) {
        GraphTarget store = stores.openDestination(ref);
        if (!(store instanceof Deleter deleter)) {
          throw new UnsupportedContentException(ref + " does not support delete");
        }
        Descriptor desc = describe(stores, ref, digest);
        if (!Confirmation.confirm(
            force,
            "Are you sure you want to delete the blob " + ref.location() + "@" + digest + "?")) {
          output().note("Nothing deleted");
          return 0;
        }
        deleter.delete(desc);
        output().result("Deleted " + ref.location() + "@" + digest);
        output().json(Map.of("reference", ref.location() + "@" + digest));
      }
      return 0;
    }
  }
}
