package dev.stevedore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.UnsupportedContentException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore manifest fetch|push|delete}: raw manifests. */
@Command(name = "manifest", description = "Fetch, push or delete a raw manifest.",
    subcommands = {ManifestCommand.Fetch.class, ManifestCommand.Push.class, ManifestCommand.Delete.class})
final class ManifestCommand {

  /** {@code manifest fetch TARGET}. */
  @Command(name = "fetch", description = "Print a manifest (or write it to a file).")
  static final class Fetch extends BaseCommand {
    @Parameters(index = "0", paramLabel = "TARGET") String target;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    @Nullable String file;

    @Option(names = "--descriptor", description = "Print the manifest's descriptor instead of its content.")
    boolean descriptor;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      try (Stores stores = new Stores(options(), context())) {
        ReadOnlyGraphTarget store = stores.openSource(ref);
        Descriptor desc = store.resolve(ref.requireReference());
        byte[] bytes = descriptor ? desc.toJson() : Contents.fetchAll(store, desc, Contents.DEFAULT_MAX_METADATA_BYTES);
        if (file != null) {
          Files.write(resolvePath(file), bytes);
        } else {
          spec.commandLine().getOut().println(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
          spec.commandLine().getOut().flush();
        }
      }
      return 0;
    }
  }

  /** {@code manifest push TARGET FILE}. */
  @Command(name = "push", description = "Push a manifest from a file ('-' for stdin), tagged when TARGET has a tag.")
  static final class Push extends BaseCommand {
    @Parameters(index = "0", paramLabel = "TARGET") String target;

    @Parameters(index = "1", paramLabel = "FILE") String file;

    @Option(names = "--media-type", paramLabel = "TYPE", description = "The manifest's media type (default: its mediaType field).")
    @Nullable String mediaType;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      byte[] bytes;
      if ("-".equals(file)) {
        bytes = Contents.readLimited(context().stdin(), Contents.DEFAULT_MAX_METADATA_BYTES);
      } else {
        try (InputStream in = Files.newInputStream(resolvePath(file))) {
          bytes = Contents.readLimited(in, Contents.DEFAULT_MAX_METADATA_BYTES);
        }
      }
      String type = mediaType != null ? mediaType : mediaTypeOf(bytes, file);
      Descriptor desc = Descriptor.of(type, bytes);
      try (Stores stores = new Stores(options(), context())) {
        GraphTarget store = stores.openDestination(ref);
        try {
          store.push(desc, new ByteArrayInputStream(bytes));
        } catch (AlreadyExistsException e) {
          // already there: tagging below is what matters
        }
        if (ref.tag() != null) {
          store.tag(desc, ref.tag());
        }
      }
      Output output = output();
      output.result("Pushed " + ref);
      output.result("Digest: " + desc.digest());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("digest", desc.digest().toString());
      json.put("mediaType", type);
      json.put("size", desc.size());
      output.json(json);
      return 0;
    }

    private static String mediaTypeOf(byte[] bytes, String file) throws Exception {
      JsonNode node;
      try {
        node = new ObjectMapper().readTree(bytes);
      } catch (java.io.IOException e) {
        throw new UnsupportedContentException(file + " is not JSON; a manifest is a JSON document");
      }
      JsonNode type = node == null ? null : node.get("mediaType");
      if (type == null || !type.isTextual()) {
        throw new UnsupportedContentException(file + " has no mediaType field; pass --media-type");
      }
      return type.asText();
    }
  }

  /** {@code manifest delete TARGET}. */
  @Command(name = "delete", description = "Delete a manifest.")
  static final class Delete extends BaseCommand {
    @Parameters(index = "0", paramLabel = "TARGET") String target;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      try (Stores stores = new Stores(options(), context())) {
        GraphTarget store = stores.openDestination(ref);
        Descriptor desc = store.resolve(ref.requireReference());
        if (!(store instanceof Deleter deleter)) {
          throw new UnsupportedContentException(ref + " does not support delete");
        }
        deleter.delete(desc);
        output().result("Deleted " + ref.location() + "@" + desc.digest());
        output().json(Map.of("deleted", desc.digest().toString()));
      }
      return 0;
    }
  }

}
