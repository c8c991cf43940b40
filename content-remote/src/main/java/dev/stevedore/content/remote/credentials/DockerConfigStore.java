package dev.stevedore.content.remote.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Credentials in a docker-compatible {@code config.json}, the way {@code docker login} and {@code
 * oras login} keep them:
 *
 * <ul>
 *   <li>{@code credHelpers} names a helper per registry, {@code credsStore} a default helper: the
 *       credential lives in {@code docker-credential-<name>} (see {@link CredentialHelper});
 *   <li>otherwise {@code auths} holds it in the file: {@code auth} (base64 of {@code
 *       user:password}), {@code identitytoken}, {@code registrytoken}.
 * </ul>
 *
 * <p>Docker Hub's names ({@code docker.io}, {@code registry-1.docker.io}) all map to the key {@code
 * https://index.docker.io/v1/}. Saving keeps every other field of the file and writes it as docker
 * does: atomically (a temporary file renamed over it), through a symbolic link (when {@code
 * config.json} is a link, the file it points at is replaced and the link stays), owner-only ({@code
 * 0600}), in a directory created owner-only ({@code 0700}). Storing a password or token in the file
 * itself (no credential helper) logs a warning, once per file and process: it is stored
 * unencrypted. Thread-safe within a process.
 */
public final class DockerConfigStore implements CredentialStore {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final System.Logger LOG = System.getLogger(DockerConfigStore.class.getName());

  /** Config files this process has warned about: the warning is given once per file. */
  private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final Function<String, CredentialStore> helpers;
  private final Consumer<String> warnings;

  DockerConfigStore(Path file, Function<String, CredentialStore> helpers) {
    this(file, helpers, message -> LOG.log(System.Logger.Level.WARNING, message));
  }

  DockerConfigStore(
      Path file, Function<String, CredentialStore> helpers, Consumer<String> warnings) {
    this.file = Objects.requireNonNull(file, "file");
    this.helpers = helpers;
    this.warnings = warnings;
  }

  /**
   * The store of a config file (which need not exist yet).
   *
   * @param configFile the path of {@code config.json}
   * @return the store
   */
  public static DockerConfigStore open(Path configFile) {
    return new DockerConfigStore(configFile, CredentialHelper::new);
  }

  /**
   * The store docker uses: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}.
   *
   * @return the store
   */
  public static DockerConfigStore openDefault() {
    return open(defaultConfigFile(System.getenv()));
  }

  /**
   * Where docker keeps its config for an environment.
   *
   * @param env the environment variables
   * @return the config file path
   */
  public static Path defaultConfigFile(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir != null && !dir.isEmpty()) {
      return Path.of(dir, "config.json");
    }
    return Path.of(System.getProperty("user.home"), ".docker", "config.json");
  }

  /**
   * The file this store reads and writes.
   *
   * @return the config file
   */
  public Path file() {
    return file;
  }

  @Override
  public synchronized Credential credential(String registry) throws IOException {
    ObjectNode config = read();
    String key = DockerHub.configKey(registry);
    String helper = helperFor(config, registry, key);
    if (helper != null) {
      return helpers.apply(helper).credential(key);
    }
    JsonNode auths = config.get("auths");
    if (auths == null || !auths.isObject()) {
      return Credential.EMPTY;
    }
    JsonNode entry = findAuth(auths, key);
    return entry == null ? Credential.EMPTY : decode(entry, key);
  }

  @Override
  public synchronized void store(String registry, Credential credential) throws IOException {
    Objects.requireNonNull(credential, "credential");
    ObjectNode config = read();
    String key = DockerHub.configKey(registry);
    String helper = helperFor(config, registry, key);
    if (helper != null) {
      helpers.apply(helper).store(key, credential);
      return;
    }
    if (credential.username() != null && credential.username().contains(":")) {
      throw new IllegalArgumentException("a username stored in " + file + " must not contain ':'");
    }
    ObjectNode auths =
        config.has("auths") && config.get("auths").isObject()
            ? (ObjectNode) config.get("auths")
            : config.putObject("auths");
    ObjectNode entry = JSON.createObjectNode();
    if (credential.username() != null || credential.password() != null) {
      String pair = nullToEmpty(credential.username()) + ":" + nullToEmpty(credential.password());
      entry.put("auth", Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    if (credential.refreshToken() != null) {
      entry.put("identitytoken", credential.refreshToken());
    }
    if (credential.accessToken() != null) {
      entry.put("registrytoken", credential.accessToken());
    }
    auths.set(key, entry);
    write(config);
    if (entry.size() > 0 && WARNED.add(file.toAbsolutePath().normalize())) {
      warnings.accept(
          "the credentials for "
              + key
              + " are stored unencrypted in "
              + file.toAbsolutePath()
              + "; configure a credential helper (credsStore or credHelpers in that file) to keep them out of it");
    }
  }

  @Override
  public synchronized void erase(String registry) throws IOException {
    ObjectNode config = read();
    String key = DockerHub.configKey(registry);
    String helper = helperFor(config, registry, key);
    if (helper != null) {
      helpers.apply(helper).erase(key);
      return;
    }
    JsonNode auths = config.get("auths");
    if (auths instanceof ObjectNode node && node.remove(key) != null) {
      write(config);
    }
  }

  @Override
  public String toString() {
    return "DockerConfigStore[" + file + "]";
  }

  private @Nullable String helperFor(ObjectNode config, String registry, String key) {
    JsonNode perHost = config.get("credHelpers");
    if (perHost != null && perHost.isObject()) {
      for (String candidate : new String[] {key, registry, DockerHub.normalize(registry)}) {
        JsonNode name = perHost.get(candidate);
        if (name != null && name.isTextual() && !name.asText().isEmpty()) {
          return name.asText();
        }
      }
    }
    JsonNode store = config.get("credsStore");
    return store != null && store.isTextual() && !store.asText().isEmpty() ? store.asText() : null;
  }

  private static @Nullable JsonNode findAuth(JsonNode auths, String key) {
    JsonNode entry = auths.get(key);
    if (entry != null) {
      return entry;
    }
    // Docker also accepts keys written as URLs, e.g. "https://registry.example.com/v1/".
    var names = auths.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (DockerHub.configKey(hostOf(name)).equals(key)) {
        return auths.get(name);
      }
    }
    return null;
  }

  private static String hostOf(String key) {
    String s = DockerHub.stripScheme(key);
    if (s.startsWith("index.docker.io")) {
      return s;
    }
    int slash = s.indexOf('/');
    return slash < 0 ? s : s.substring(0, slash);
  }

  private Credential decode(JsonNode entry, String key) throws IOException {
    String username = text(entry, "username");
    String password = text(entry, "password");
    String auth = text(entry, "auth");
    if (auth != null) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "the \"auth\" of " + key + " in " + file + " is not valid base64; run login again");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new IOException(
            "the \"auth\" of " + key + " in " + file + " is not user:password; run login again");
      }
      username = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    }
    return new Credential(
        username, password, text(entry, "identitytoken"), text(entry, "registrytoken"));
  }

  private ObjectNode read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return JSON.createObjectNode();
    }
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IOException("docker config " + file + " is not valid JSON; fix or remove it", e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IOException("docker config " + file + " is not a JSON object; fix or remove it");
    }
    return object;
  }

  private void write(ObjectNode config) throws IOException {
    // Written through a symbolic link, as docker does: the file the link names is replaced.
    Path target = resolveLinks(file.toAbsolutePath());
    Path dir = Objects.requireNonNull(target.getParent(), "an absolute file path has a parent");
    createPrivateDirectories(dir);
    Path temp = Files.createTempFile(dir, ".config", ".json.tmp");
    try {
      try {
        // owner-only, even where the file was readable by others: it holds credentials
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep the default permissions
      }
      Files.write(temp, JSON.writeValueAsBytes(config));
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Follows symbolic links (also dangling ones: the file they name is created). */
  private static Path resolveLinks(Path path) throws IOException {
    Path current = path;
    for (int hops = 0; Files.isSymbolicLink(current); hops++) {
      if (hops == 40) {
        throw new IOException(path + ": too many levels of symbolic links");
      }
      Path link = Files.readSymbolicLink(current);
      current = current.resolveSibling(link).normalize();
    }
    return current;
  }

  /**
   * Creates missing directories owner-only (0700), as docker does; existing ones are left as they
   * are.
   */
  private static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
  }

  private static String nullToEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }
}
