package dev.stevedore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.Manifest;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.ReadOnlyGraphTarget;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.ResolveOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stevedore manifest fetch|push|delete}: raw manifests. */
@Command(
    name = "manifest",
    description = "Fetch, push or delete a raw manifest.",
    subcommands = {
      ManifestCommand.Fetch.class,
      ManifestCommand.FetchConfig.class,
      ManifestCommand.Push.class,
      ManifestCommand.Delete.class
    })
final class ManifestCommand {

  /** {@code manifest fetch TARGET}. */
  @Command(name = "fetch", description = "Print a manifest (or write it to a file).")
  static final class Fetch extends BaseCommand {
    // picocli sets this required argument before call().
    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "TARGET")
    String target;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write to FILE ('-': stdout) instead of printing.")
    @Nullable String file;

    @Option(
        names = "--descriptor",
        description = "Print the manifest's descriptor instead of its content.")
    boolean descriptor;

    @Option(names = "--pretty", description = "Indent the printed JSON.")
    boolean pretty;

    @Option(
        names = "--platform",
        paramLabel = "os/arch[/variant]",
        description = "Pick this platform's manifest of an index.")
    @Nullable String platform;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      try (Stores stores = new Stores(options(), context())) {
        ReadOnlyGraphTarget store = stores.openSource(ref);
        Descriptor desc = resolve(store, ref, platform);
        byte[] content = Contents.fetchAll(store, desc, Contents.DEFAULT_MAX_METADATA_BYTES);
        print(this, ref, desc, content, descriptor, pretty, file);
      }
      return 0;
    }
  }

  /** {@code manifest fetch-config TARGET}. */
  @Command(
      name = "fetch-config",
      description = "Print the config of a manifest (or write it to a file).")
  static final class FetchConfig extends BaseCommand {
    // picocli sets this required argument before call().
    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "TARGET")
    String target;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write to FILE ('-': stdout) instead of printing.")
    @Nullable String file;

    @Option(
        names = "--descriptor",
        description = "Print the config's descriptor instead of its content.")
    boolean descriptor;

    @Option(
        names = "--platform",
        paramLabel = "os/arch[/variant]",
        description = "Pick this platform's manifest of an index.")
    @Nullable String platform;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      try (Stores stores = new Stores(options(), context())) {
        ReadOnlyGraphTarget store = stores.openSource(ref);
        Descriptor manifestDesc = resolve(store, ref, platform);
        if (!MediaTypes.OCI_MANIFEST.equals(manifestDesc.mediaType())
            && !MediaTypes.DOCKER_MANIFEST.equals(manifestDesc.mediaType())) {
          throw new UnsupportedContentException(
              ref
                  + " is a "
                  + manifestDesc.mediaType()
                  + ", which has no config; pick a platform with --platform");
        }
        Manifest manifest =
            Manifest.parse(
                Contents.fetchAll(store, manifestDesc, Contents.DEFAULT_MAX_METADATA_BYTES));
        Descriptor config = manifest.config();
        byte[] content =
            descriptor
                ? new byte[0]
                : Contents.fetchAll(store, config, Contents.DEFAULT_MAX_METADATA_BYTES);
        print(this, ref, config, content, descriptor, false, file);
      }
      return 0;
    }
  }

  static Descriptor resolve(ReadOnlyGraphTarget store, TargetRef ref, @Nullable String platform)
      throws Exception {
    ResolveOptions options = ResolveOptions.defaults();
    if (platform != null) {
      options = options.withTargetPlatform(Platforms.parse(platform));
    }
    // plain, as a registry resolves it: a layout's index.json annotations are not the manifest's
    return Copy.resolve(store, ref.requireReference(), options).plain();
  }

  /** Prints or writes fetched content, or its descriptor; JSON mode prints oras's shape. */
  // Java 17 target: console() is null without a terminal, and Console.isTerminal() (JDK 22) is not
  // available.
  @SuppressWarnings("SystemConsoleNull")
  static void print(
      BaseCommand command,
      TargetRef ref,
      Descriptor desc,
      byte[] content,
      boolean descriptor,
      boolean pretty,
      @Nullable String file)
      throws Exception {
    java.io.PrintWriter out = command.spec.commandLine().getOut();
    if (file != null && !"-".equals(file)) {
      FileOutput.write(command.resolvePath(file), () -> new ByteArrayInputStream(content));
      if (!descriptor && !command.options().json()) {
        return;
      }
    }
    if (command.options().json()) {
      Map<String, Object> json = OrasJson.descriptor(ref.location(), desc);
      if (!descriptor) {
        json.put("Content", new ObjectMapper().readTree(content));
      }
      out.println(Output.toJson(json));
    } else if (descriptor) {
      out.println(
          pretty
              ? Output.toJson(new ObjectMapper().readTree(desc.toJson()))
              : new String(desc.toJson(), StandardCharsets.UTF_8));
    } else if (pretty) {
      out.println(Terminal.escape(Output.toJson(new ObjectMapper().readTree(content)), true));
    } else {
      String text = new String(content, StandardCharsets.UTF_8);
      // raw bytes for pipes (digests must match); never raw control characters on a terminal
      out.println(System.console() != null ? Terminal.escape(text, true) : text);
    }
    out.flush();
  }

  /** {@code manifest push TARGET FILE}. */
  @Command(
      name = "push",
      description = "Push a manifest from a file ('-' for stdin), tagged when TARGET has a tag.")
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
        description = "The manifest's media type (default: its mediaType field).")
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
  @Command(
      name = "delete",
      description = {
        "Delete a manifest (asks first on a terminal; -f/--force otherwise).",
        "Deleting by tag deletes the manifest the tag names: every other tag on that digest goes too."
      })
  static final class Delete extends BaseCommand {
    // picocli sets this required argument before call().
    @SuppressWarnings("NullAway.Init")
    @Parameters(index = "0", paramLabel = "TARGET")
    String target;

    @Option(
        names = {"-f", "--force"},
        description = "Delete without asking.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      TargetRef ref = target(target);
      try (Stores stores = new Stores(options(), context())) {
        GraphTarget store = stores.openDestination(ref);
        if (!(store instanceof Deleter deleter)) {
          throw new UnsupportedContentException(ref + " does not support delete");
        }
        Descriptor desc = store.resolve(ref.requireReference());
        String name = ref.location() + "@" + desc.digest();
        String question =
            ref.digest() == null
                ? "Are you sure you want to delete the manifest "
                    + name
                    + " (tag "
                    + ref.tag()
                    + ") and every tag on that digest?"
                : "Are you sure you want to delete the manifest " + name + " and every tag on it?";
        if (!Confirmation.confirm(force, question)) {
          output().note("Nothing deleted");
          return 0;
        }
        deleter.delete(desc);
        output().result("Deleted " + name);
        if (ref.digest() == null) {
          output()
              .note("Every tag on " + desc.digest() + " is gone with it, not only " + ref.tag());
        }
        output().json(Map.of("reference", name));
      }
      return 0;
    }
  }
}
