package dev.stevedore.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Deleter;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.Digester;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Reference;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.Successors;
import dev.stevedore.content.TagLister;
import dev.stevedore.content.UnsupportedContentException;
import dev.stevedore.content.Untagger;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The distribution-spec 1.1 API over the served repositories: one method per endpoint, each run on
 * a worker thread with the request's {@link Exchange}. Refusals are thrown as {@link
 * RegistryError}s and answered in one place, {@link #handle}.
 */
final class RegistryHandler {
  private static final System.Logger LOG = System.getLogger(RegistryHandler.class.getName());
  private static final String NAME = "/v2/(.+)";
  private static final Pattern UPLOAD_START = Pattern.compile("^" + NAME + "/blobs/uploads/?$");
  private static final Pattern UPLOAD = Pattern.compile("^" + NAME + "/blobs/uploads/([^/]+)$");
  private static final Pattern BLOB = Pattern.compile("^" + NAME + "/blobs/([^/]+)$");
  private static final Pattern MANIFEST = Pattern.compile("^" + NAME + "/manifests/([^/]+)$");
  private static final Pattern TAGS = Pattern.compile("^" + NAME + "/tags/list$");
  private static final Pattern REFERRERS = Pattern.compile("^" + NAME + "/referrers/([^/]+)$");
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("^(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?$");
  private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");
  private static final int MAX_NAME_LENGTH = 255;
  private static final int COPY_CHUNK = 64 * 1024;

  private final Settings settings;
  private final Repositories repositories;
  private final UploadSessions uploads;
  private final @Nullable Htpasswd htpasswd;
  private final Map<Digest, ManifestInfo> manifestCache =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Digest, ManifestInfo> eldest) {
              return size() > 4096;
            }
          });

  RegistryHandler(
      Settings settings,
      Repositories repositories,
      UploadSessions uploads,
      @Nullable Htpasswd htpasswd) {
    this.settings = settings;
    this.repositories = repositories;
    this.uploads = uploads;
    this.htpasswd = htpasswd;
  }

  /** Handles one request; never throws. */
  void handle(Exchange ex) {
    try {
      authenticate(ex);
      dispatch(ex);
    } catch (RegistryError e) {
      answer(ex, e);
    } catch (DigestMismatchException e) {
      answer(
          ex,
          new RegistryError(
              ErrorCode.DIGEST_INVALID,
              java.util.Objects.requireNonNullElse(e.getMessage(), e.toString())));
    } catch (SizeLimitExceededException e) {
      answer(
          ex,
          new RegistryError(
              ErrorCode.SIZE_INVALID,
              java.util.Objects.requireNonNullElse(e.getMessage(), e.toString())));
    } catch (UnsupportedContentException e) {
      answer(
          ex,
          new RegistryError(
              ErrorCode.DENIED,
              java.util.Objects.requireNonNullElse(e.getMessage(), e.toString())));
    } catch (IOException | RuntimeException e) {
      if (ex.closed()
          || dev.stevedore.content.ContentException.is(e, RegistryServer.Stopping.class)) {
        LOG.log(
            System.Logger.Level.DEBUG,
            () -> ex.method() + " " + ex.path() + ": the client went away: " + e);
        return;
      }
      LOG.log(
          System.Logger.Level.WARNING, () -> ex.method() + " " + ex.path() + " failed: " + e, e);
      answer(ex, new RegistryError(ErrorCode.UNKNOWN, "the registry failed: " + e.getMessage()));
    } catch (OutOfMemoryError e) {
      // One request wanted more heap than there is: a blob too large for a memory store, read in
      // whole. What it allocated is garbage by now; the request fails and the server goes on.
      LOG.log(
          System.Logger.Level.ERROR,
          () -> ex.method() + " " + ex.path() + ": out of memory: " + e.getMessage(),
          e);
      answer(
          ex,
          new RegistryError(
              ErrorCode.UNKNOWN,
              "the registry ran out of memory for this request ("
                  + e.getMessage()
                  + "); a memory store holds each blob on the heap whole: large blobs"
                  + " belong in a layout"));
    } catch (Error e) {
      // Nothing above the worker would answer: without this the client waits for ever.
      LOG.log(System.Logger.Level.ERROR, () -> ex.method() + " " + ex.path() + " failed: " + e, e);
      answer(ex, new RegistryError(ErrorCode.UNKNOWN, "the registry failed: " + e));
    }
  }

  private static void answer(Exchange ex, RegistryError error) {
    if (ex.answered()) {
      ex.abort();
    } else {
      ex.sendError(error);
    }
  }

  private void authenticate(Exchange ex) {
    if (htpasswd == null) {
      return;
    }
    if (htpasswd.authenticate(ex.header("Authorization")) == null) {
      throw new RegistryError(
              ErrorCode.UNAUTHORIZED,
              "authentication required: give a user and password of the"
                  + " server's htpasswd file")
          .header("WWW-Authenticate", "Basic realm=\"stevedore\"");
    }
  }

  // ------------------------------------------------------------------ routing

  private void dispatch(Exchange ex) throws IOException {
    String path = ex.path();
    HttpMethod method = ex.method();
    if (path.equals("/v2") || path.equals("/v2/")) {
      allow(ex, HttpMethod.GET, HttpMethod.HEAD);
      ex.sendJson(200, Map.of(), Map.of());
      return;
    }
    if (path.equals("/v2/_catalog")) {
      allow(ex, HttpMethod.GET);
      catalog(ex);
      return;
    }
    Matcher uploadStart = UPLOAD_START.matcher(path);
    Matcher upload = UPLOAD.matcher(path);
    Matcher blob = BLOB.matcher(path);
    Matcher manifest = MANIFEST.matcher(path);
    Matcher tags = TAGS.matcher(path);
    Matcher referrers = REFERRERS.matcher(path);
    if (uploadStart.matches()) {
      allow(ex, HttpMethod.POST);
      startUpload(ex, name(uploadStart.group(1)));
    } else if (upload.matches()) {
      String name = name(upload.group(1));
      String id = upload.group(2);
      if (HttpMethod.PATCH.equals(method)) {
        writable(ex);
        patchUpload(ex, name, id);
      } else if (HttpMethod.PUT.equals(method)) {
        writable(ex);
        finishUpload(ex, name, id);
      } else if (HttpMethod.GET.equals(method)) {
        uploadStatus(ex, name, id);
      } else if (HttpMethod.DELETE.equals(method)) {
        writable(ex);
        cancelUpload(ex, name, id);
      } else {
        throw notAllowed(ex);
      }
    } else if (blob.matches()) {
      String name = name(blob.group(1));
      if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
        getBlob(ex, name, blob.group(2));
      } else if (HttpMethod.DELETE.equals(method)) {
        deletable(ex);
        deleteBlob(ex, name, blob.group(2));
      } else {
        throw notAllowed(ex);
      }
    } else if (manifest.matches()) {
      String name = name(manifest.group(1));
      if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
        getManifest(ex, name, manifest.group(2));
      } else if (HttpMethod.PUT.equals(method)) {
        writable(ex);
        putManifest(ex, name, manifest.group(2));
      } else if (HttpMethod.DELETE.equals(method)) {
        deletable(ex);
        deleteManifest(ex, name, manifest.group(2));
      } else {
        throw notAllowed(ex);
      }
    } else if (tags.matches()) {
      allow(ex, HttpMethod.GET);
      tags(ex, name(tags.group(1)));
    } else if (referrers.matches()) {
      allow(ex, HttpMethod.GET);
      referrers(ex, name(referrers.group(1)), referrers.group(2));
    } else {
      throw new RegistryError(
          404,
          ErrorCode.UNSUPPORTED,
          "no such endpoint: "
              + method
              + " "
              + path
              + " (the distribution-spec routes are under /v2/<name>/blobs, manifests, tags, referrers)",
          null);
    }
  }

  private static void allow(Exchange ex, HttpMethod... methods) {
    for (HttpMethod method : methods) {
      if (method.equals(ex.method())) {
        return;
      }
    }
    throw notAllowed(ex);
  }

  private static RegistryError notAllowed(Exchange ex) {
    return new RegistryError(
        405, ErrorCode.UNSUPPORTED, ex.method() + " is not supported on " + ex.path(), null);
  }

  private void writable(Exchange ex) {
    if (settings.readOnly()) {
      throw new RegistryError(
          405,
          ErrorCode.UNSUPPORTED,
          "this registry is read-only: " + ex.method() + " " + ex.path() + " is refused",
          null);
    }
  }

  private void deletable(Exchange ex) {
    writable(ex);
    if (!settings.deletes()) {
      throw new RegistryError(
          405, ErrorCode.UNSUPPORTED, "deletes are disabled on this registry", null);
    }
  }

  private static String name(String name) {
    if (name.length() > MAX_NAME_LENGTH || !Reference.isValidRepository(name)) {
      throw new RegistryError(
          ErrorCode.NAME_INVALID,
          "invalid repository name \""
              + name
              + "\": lower-case letters and digits, separated by . _ __ - or /, at most 255 characters");
    }
    return name;
  }

  private Repo existing(String name) throws IOException {
    return repositories
        .find(name)
        .orElseThrow(
            () ->
                new RegistryError(
                    ErrorCode.NAME_UNKNOWN,
                    "repository \"" + name + "\" is not known to this registry"));
  }

  private static Digest digest(@Nullable String value) {
    if (value == null || value.isEmpty()) {
      throw new RegistryError(ErrorCode.DIGEST_INVALID, "a digest is required (algorithm:hex)");
    }
    try {
      Digest digest = Digest.parse(value);
      if (!Digest.isSupported(digest.algorithm())) {
        throw new RegistryError(
            ErrorCode.DIGEST_INVALID,
            "unsupported digest algorithm in " + value + ": use sha256 or sha512");
      }
      return digest;
    } catch (InvalidDescriptorException e) {
      throw new RegistryError(
          ErrorCode.DIGEST_INVALID, "invalid digest \"" + value + "\": " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ listing

  private void catalog(Exchange ex) throws IOException {
    List<String> names = repositories.names();
    Page page = page(ex, names);
    Map<String, String> headers = new LinkedHashMap<>();
    page.link("/v2/_catalog", "").ifPresent(link -> headers.put("Link", link));
    ex.sendJson(200, headers, Map.of("repositories", page.items()));
  }

  private void tags(Exchange ex, String name) throws IOException {
    Repo repo = existing(name);
    List<String> tags = new ArrayList<>();
    if (repo.store() instanceof TagLister lister) {
      lister.tags(null, tags::addAll);
    }
    tags.sort(null);
    Page page = page(ex, tags);
    Map<String, String> headers = new LinkedHashMap<>();
    page.link("/v2/" + name + "/tags/list", "").ifPresent(link -> headers.put("Link", link));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("tags", page.items());
    ex.sendJson(200, headers, body);
  }

  /** One page of a sorted list: the items after {@code last}, at most {@code n}. */
  private record Page(List<String> items, @Nullable Integer n, boolean more) {
    Optional<String> link(String path, String extraQuery) {
      if (!more || items.isEmpty() || n == null) {
        return Optional.empty();
      }
      return Optional.of(
          "<"
              + path
              + "?n="
              + n
              + "&last="
              + encode(items.get(items.size() - 1))
              + extraQuery
              + ">; rel=\"next\"");
    }
  }

  private static Page page(Exchange ex, List<String> sorted) {
    String last = ex.param("last");
    Integer n = null;
    String nParam = ex.param("n");
    if (nParam != null && !nParam.isEmpty()) {
      try {
        n = Integer.parseInt(nParam);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0) {
        throw new RegistryError(
            400,
            ErrorCode.UNSUPPORTED,
            "n must be a non-negative integer, not \"" + nParam + "\"",
            null);
      }
    }
    List<String> after = sorted;
    if (last != null && !last.isEmpty()) {
      int i = Collections.binarySearch(sorted, last);
      after = sorted.subList(i >= 0 ? i + 1 : -i - 1, sorted.size());
    }
    if (n == null || n >= after.size()) {
      return new Page(List.copyOf(after), n, false);
    }
    return new Page(List.copyOf(after.subList(0, n)), n, true);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ blobs

  private void getBlob(Exchange ex, String name, String reference) throws IOException {
    Digest digest = digest(reference);
    Repo repo = existing(name);
    Descriptor desc = repo.blob(digest);
    if (desc == null) {
      throw new RegistryError(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + name);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", MediaTypes.OCTET_STREAM);
    headers.put("Docker-Content-Digest", digest.toString());
    headers.put("Accept-Ranges", "bytes");
    headers.put("ETag", "\"" + digest + "\"");
    long size = desc.size();
    long start = 0;
    long length = size;
    int status = 200;
    String range = ex.header("Range");
    if (range != null && !range.isBlank()) {
      long[] span = range(range.strip(), size, digest);
      start = span[0];
      length = span[1] - span[0] + 1;
      status = 206;
      headers.put("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size);
    }
    if (ex.isHead()) {
      headers.put("Content-Length", String.valueOf(length));
      ex.send(status, headers);
      return;
    }
    if (repo.store() instanceof OciLayoutStore layout) {
      Path file =
          layout.root().resolve("blobs").resolve(digest.algorithm()).resolve(digest.encoded());
      FileChannel channel = openBlobFile(file, size);
      if (channel != null) {
        ex.sendFile(status, headers, channel, start, length);
        return;
      }
    }
    try (InputStream in = repo.store().fetch(desc)) {
      in.skipNBytes(start);
      ex.stream(status, headers, in, length);
    } catch (NotFoundException e) {
      throw new RegistryError(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + name);
    }
  }

  /**
   * Opens a layout's blob file for a download, or returns null when it is not there as a regular
   * file of the descriptor's size (then the store's own stream serves it, or says it is missing).
   */
  private static @Nullable FileChannel openBlobFile(Path file, long size) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      if (channel.size() == size) {
        return channel;
      }
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    channel.close();
    return null;
  }

  /** Parses a Range header into [first, last], both inclusive. */
  private static long[] range(String header, long size, Digest digest) {
    Matcher m = RANGE.matcher(header);
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      throw unsatisfiable("invalid Range \"" + header + "\": use bytes=first-last", size);
    }
    long first;
    long last;
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        first = Math.max(0, size - suffix);
        last = size - 1;
      } else {
        first = Long.parseLong(m.group(1));
        last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      }
    } catch (NumberFormatException e) {
      throw unsatisfiable("invalid Range \"" + header + "\"", size);
    }
    if (first >= size || first > last) {
      throw unsatisfiable(
          "Range \"" + header + "\" is beyond the " + size + " bytes of " + digest, size);
    }
    return new long[] {first, last};
  }

  private static RegistryError unsatisfiable(String message, long size) {
    return new RegistryError(416, ErrorCode.RANGE_INVALID, message, null)
        .header("Content-Range", "bytes */" + size);
  }

  private void deleteBlob(Exchange ex, String name, String reference) throws IOException {
    Digest digest = digest(reference);
    Repo repo = existing(name);
    Descriptor desc = repo.blob(digest);
    if (desc == null) {
      throw new RegistryError(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + name);
    }
    if (!(repo.store() instanceof Deleter deleter)) {
      throw new RegistryError(
          405, ErrorCode.UNSUPPORTED, "the store of " + name + " cannot delete", null);
    }
    try {
      deleter.delete(desc);
    } catch (NotFoundException e) {
      throw new RegistryError(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + name);
    }
    repo.forget(digest);
    ex.send(202, Map.of("Docker-Content-Digest", digest.toString()));
  }

  // ------------------------------------------------------------------ uploads

  private void startUpload(Exchange ex, String name) throws IOException {
    writable(ex);
    String mount = ex.param("mount");
    String from = ex.param("from");
    if (mount != null && from != null && !from.isEmpty()) {
      Digest digest = digest(mount);
      if (mount(name, name(from), digest)) {
        ex.send(201, blobCreated(name, digest));
        return;
      }
    }
    String digestParam = ex.param("digest");
    if (digestParam != null) {
      Digest digest = digest(digestParam);
      Repo repo = repositories.findOrCreate(name);
      long length = contentLength(ex);
      if (length >= 0) {
        store(repo, digest, ex.body(), length);
      } else {
        Path spool = Files.createTempFile(uploads.directory(), "monolithic-", ".upload");
        try {
          long size = append(spool, 0, ex.body());
          try (InputStream in = Files.newInputStream(spool)) {
            store(repo, digest, in, size);
          }
        } finally {
          UploadSessions.deleteQuietly(spool);
        }
      }
      ex.send(201, blobCreated(name, digest));
      return;
    }
    repositories.findOrCreate(name);
    UploadSessions.Session session = uploads.start(name);
    session.lock.lock();
    Map<String, String> headers;
    try {
      headers = sessionHeaders(session);
    } finally {
      uploads.release(session);
    }
    ex.send(202, headers); // after the release: a client that has its answer finds the session idle
  }

  private boolean mount(String name, String from, Digest digest) throws IOException {
    Optional<Repo> source = repositories.find(from);
    if (source.isEmpty()) {
      return false;
    }
    Descriptor desc = source.get().blob(digest);
    if (desc == null) {
      return false;
    }
    Repo target = repositories.findOrCreate(name);
    if (target.blob(digest) != null) {
      return true;
    }
    try {
      if (source.get().store() instanceof OciLayoutStore sourceLayout
          && target.store() instanceof OciLayoutStore targetLayout
          && !Successors.mayHaveSuccessors(desc.mediaType())) {
        // a hard link where both are on one file system, else a verified copy
        targetLayout.link(sourceLayout, desc);
      } else {
        try (InputStream in = source.get().store().fetch(desc)) {
          target.store().push(desc, in);
        }
      }
    } catch (AlreadyExistsException e) {
      // a concurrent push stored it first
    } catch (NotFoundException e) {
      return false;
    }
    target.remember(desc);
    return true;
  }

  private static Map<String, String> blobCreated(String name, Digest digest) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", "/v2/" + name + "/blobs/" + digest);
    headers.put("Docker-Content-Digest", digest.toString());
    return headers;
  }

  private Map<String, String> sessionHeaders(UploadSessions.Session session) {
    uploads.touch(session); // before the answer leaves, see UploadSessions.touch
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", "/v2/" + session.repository + "/blobs/uploads/" + session.id);
    headers.put("Range", "0-" + Math.max(0, session.offset - 1));
    headers.put("Docker-Upload-UUID", session.id);
    return headers;
  }

  private UploadSessions.Session session(String name, String id) {
    UploadSessions.Session session = uploads.acquire(name, id);
    if (session == null) {
      throw new RegistryError(
          ErrorCode.BLOB_UPLOAD_UNKNOWN,
          "upload "
              + id
              + " to "
              + name
              + " is unknown: it finished, was cancelled or expired; start a new one");
    }
    return session;
  }

  private static long contentLength(Exchange ex) {
    String value = ex.header("Content-Length");
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      long length = Long.parseLong(value.strip());
      if (length < 0) {
        throw new NumberFormatException();
      }
      return length;
    } catch (NumberFormatException e) {
      throw new RegistryError(ErrorCode.SIZE_INVALID, "invalid Content-Length \"" + value + "\"");
    }
  }

  /**
   * Checks a chunk's Content-Range against the session; returns the chunk's length, or -1 when
   * unsaid.
   */
  private long checkContentRange(Exchange ex, UploadSessions.Session session) {
    String header = ex.header("Content-Range");
    if (header == null || header.isBlank()) {
      return -1;
    }
    Matcher m = CONTENT_RANGE.matcher(header.strip());
    if (!m.matches()) {
      throw outOfOrder(session, "invalid Content-Range \"" + header + "\": use first-last");
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    if (first != session.offset || last < first) {
      throw outOfOrder(
          session,
          "chunk "
              + first
              + "-"
              + last
              + " does not continue upload "
              + session.id
              + ", which has "
              + session.offset
              + " bytes: send the chunk starting at "
              + session.offset);
    }
    return last - first + 1;
  }

  private RegistryError outOfOrder(UploadSessions.Session session, String message) {
    RegistryError error = new RegistryError(416, ErrorCode.BLOB_UPLOAD_INVALID, message, null);
    sessionHeaders(session).forEach(error::header);
    return error;
  }

  private void patchUpload(Exchange ex, String name, String id) throws IOException {
    UploadSessions.Session session = session(name, id);
    Map<String, String> headers;
    try {
      long declared = checkContentRange(ex, session);
      long length = contentLength(ex);
      if (declared >= 0 && length >= 0 && declared != length) {
        throw outOfOrder(
            session, "Content-Range says " + declared + " bytes, Content-Length " + length);
      }
      long expected = declared >= 0 ? declared : length;
      long received = append(session.file, session.offset, ex.body());
      if (expected >= 0 && received != expected) {
        truncate(session.file, session.offset);
        throw new RegistryError(
            ErrorCode.SIZE_INVALID,
            "the chunk had " + received + " bytes, its headers said " + expected);
      }
      session.offset += received;
      headers = sessionHeaders(session);
    } finally {
      uploads.release(session);
    }
    ex.send(202, headers); // after the release: a client that has its answer finds the session idle
  }

  private void finishUpload(Exchange ex, String name, String id) throws IOException {
    UploadSessions.Session session = session(name, id);
    boolean ended = false;
    try {
      Digest digest = digest(ex.param("digest"));
      long declared = checkContentRange(ex, session);
      long length = contentLength(ex);
      Repo repo = repositories.findOrCreate(name);
      try {
        if (session.offset == 0 && length >= 0 && (declared < 0 || declared == length)) {
          store(repo, digest, ex.body(), length);
        } else {
          long received = append(session.file, session.offset, ex.body());
          long expected = declared >= 0 ? declared : length;
          if (expected >= 0 && received != expected) {
            truncate(session.file, session.offset);
            throw new RegistryError(
                ErrorCode.SIZE_INVALID,
                "the last chunk had " + received + " bytes, its headers said " + expected);
          }
          session.offset += received;
          try (InputStream in = Files.newInputStream(session.file)) {
            store(repo, digest, in, session.offset);
          }
        }
      } catch (RegistryError e) {
        if (e.code() == ErrorCode.DIGEST_INVALID) {
          ended = true;
          uploads.end(session);
        }
        throw e;
      }
      ended = true;
      uploads.end(session);
      ex.send(201, blobCreated(name, digest));
    } finally {
      if (!ended) {
        uploads.release(session);
      }
    }
  }

  private void uploadStatus(Exchange ex, String name, String id) {
    UploadSessions.Session session = session(name, id);
    Map<String, String> headers;
    try {
      headers = sessionHeaders(session);
    } finally {
      uploads.release(session);
    }
    ex.send(204, headers);
  }

  private void cancelUpload(Exchange ex, String name, String id) {
    UploadSessions.Session session = session(name, id);
    uploads.end(session);
    ex.send(204, Map.of());
  }

  /** Appends a body to a file at an offset; on failure the file is cut back to the offset. */
  private static long append(Path file, long offset, InputStream in) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.position(offset);
      byte[] chunk = new byte[COPY_CHUNK];
      long total = 0;
      try {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          total += n;
        }
      } catch (IOException | RuntimeException e) {
        channel.truncate(offset);
        throw e;
      }
      channel.truncate(offset + total);
      return total;
    }
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  /**
   * Stores a blob from a stream; the store verifies size and digest before the blob becomes
   * visible. When the repository has it already, the stream is still read and checked.
   */
  private static Descriptor store(Repo repo, Digest digest, InputStream in, long size)
      throws IOException {
    Descriptor existing = repo.blob(digest);
    if (existing != null) {
      drainVerifying(in, digest, size);
      return existing;
    }
    Descriptor desc = Descriptor.of(MediaTypes.OCTET_STREAM, digest, size);
    try {
      repo.store().push(desc, in);
    } catch (AlreadyExistsException e) {
      // a concurrent upload of the same content stored it first
    } catch (DigestMismatchException e) {
      throw new RegistryError(
          ErrorCode.DIGEST_INVALID,
          "the uploaded content does not match "
              + digest
              + " ("
              + size
              + " bytes): "
              + e.getMessage()
              + "; nothing was stored");
    }
    repo.remember(desc);
    return desc;
  }

  private static void drainVerifying(InputStream in, Digest digest, long size) throws IOException {
    Digester digester = Digester.of(digest.algorithm());
    byte[] chunk = new byte[COPY_CHUNK];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      digester.update(chunk, 0, n);
    }
    if (digester.count() != size || !digester.digest().equals(digest)) {
      throw new RegistryError(
          ErrorCode.DIGEST_INVALID,
          "the uploaded content ("
              + digester.count()
              + " bytes, "
              + digester.digest()
              + ") does not match "
              + digest
              + "; nothing was stored");
    }
  }

  // ------------------------------------------------------------------ manifests

  private static boolean isDigestReference(String reference) {
    return reference.indexOf(':') >= 0;
  }

  /** The descriptor of a manifest by tag or digest, or null when the repository has none. */
  private @Nullable Descriptor resolveManifest(Repo repo, String reference) throws IOException {
    if (isDigestReference(reference)) {
      Digest digest = digest(reference);
      Descriptor remembered = repo.remembered(digest);
      if (remembered != null
          && !remembered.mediaType().equals(MediaTypes.OCTET_STREAM)
          && repo.store().exists(remembered)) {
        return remembered;
      }
      try {
        Descriptor found = repo.store().resolve(digest.toString()).plain();
        if (!found.mediaType().equals(MediaTypes.OCTET_STREAM)) {
          return found;
        }
      } catch (NotFoundException e) {
        // perhaps a manifest the store only knows as a blob
      }
      Descriptor blob = repo.blob(digest);
      if (blob == null || blob.size() > settings.maxManifestBytes()) {
        return null;
      }
      String mediaType = sniffMediaType(repo, blob);
      return mediaType == null ? null : Descriptor.of(mediaType, digest, blob.size());
    }
    if (!Reference.isValidTag(reference)) {
      return null;
    }
    try {
      return repo.store().resolve(reference).plain();
    } catch (NotFoundException e) {
      return null;
    }
  }

  private static @Nullable String sniffMediaType(Repo repo, Descriptor blob) throws IOException {
    byte[] bytes;
    try (InputStream in = repo.store().fetch(blob)) {
      bytes = in.readAllBytes();
    }
    try {
      var node = Exchange.JSON.readTree(bytes);
      var mediaType = node == null ? null : node.get("mediaType");
      return mediaType != null && mediaType.isTextual() ? mediaType.textValue() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void getManifest(Exchange ex, String name, String reference) throws IOException {
    Repo repo = existing(name);
    Descriptor desc = resolveManifest(repo, reference);
    if (desc == null) {
      throw new RegistryError(
          ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in " + name);
    }
    checkAccept(ex, desc, reference);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", desc.mediaType());
    headers.put("Docker-Content-Digest", desc.digest().toString());
    headers.put("ETag", "\"" + desc.digest() + "\"");
    if (ex.isHead()) {
      headers.put("Content-Length", String.valueOf(desc.size()));
      ex.send(200, headers);
      return;
    }
    try (InputStream in = repo.store().fetch(desc)) {
      ex.stream(200, headers, in, desc.size());
    } catch (NotFoundException e) {
      throw new RegistryError(
          ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in " + name);
    }
  }

  /** Refuses a manifest whose media type the request's Accept header excludes. */
  private static void checkAccept(Exchange ex, Descriptor desc, String reference) {
    String accept = ex.headerValues("Accept");
    if (accept == null || accept.isBlank()) {
      return;
    }
    String type = desc.mediaType().toLowerCase(Locale.ROOT);
    String family = type.contains("/") ? type.substring(0, type.indexOf('/')) + "/*" : type;
    for (String part : accept.split(",", 0)) { // limit 0: trailing empty elements dropped
      String range = part.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (range.isEmpty() || range.equals("*/*") || range.equals(type) || range.equals(family)) {
        return;
      }
    }
    throw new RegistryError(
        404,
        ErrorCode.MANIFEST_UNKNOWN,
        "manifest "
            + reference
            + " is "
            + desc.mediaType()
            + ", which the request's Accept header ("
            + accept
            + ") does not accept",
        null);
  }

  private void putManifest(Exchange ex, String name, String reference) throws IOException {
    boolean byDigest = isDigestReference(reference);
    Digest expectedDigest = byDigest ? digest(reference) : null;
    if (!byDigest && !Reference.isValidTag(reference)) {
      throw new RegistryError(
          ErrorCode.MANIFEST_INVALID,
          "invalid tag \""
              + reference
              + "\": up to 128 letters, digits, _ . and -, not starting with . or -");
    }
    long length = contentLength(ex);
    long limit = settings.maxManifestBytes();
    if (length > limit) {
      throw tooLarge(length, limit);
    }
    byte[] bytes = readLimited(ex.body(), limit);
    String contentType = ex.header("Content-Type");
    if (contentType != null) {
      contentType = contentType.split(";", 2)[0].strip();
    }
    ManifestInfo info = ManifestInfo.parse(bytes, contentType == null ? "" : contentType);
    String mediaType =
        contentType != null && !contentType.isEmpty() ? contentType : info.mediaType();
    if (mediaType == null) {
      throw new RegistryError(
          ErrorCode.MANIFEST_INVALID,
          "the manifest has no mediaType and the request no"
              + " Content-Type: say which kind of manifest it is");
    }
    Digest digest =
        Digest.of(expectedDigest != null ? expectedDigest.algorithm() : Digest.SHA256, bytes);
    if (expectedDigest != null && !expectedDigest.equals(digest)) {
      throw new RegistryError(
          ErrorCode.DIGEST_INVALID,
          "the manifest's digest is " + digest + ", not " + expectedDigest + " as the URL says");
    }
    Repo repo = repositories.findOrCreate(name);
    if (settings.checkManifestBlobs() && ManifestInfo.isKnown(mediaType)) {
      checkReferences(repo, info);
    }
    Descriptor desc = Descriptor.of(mediaType, digest, bytes.length);
    try {
      repo.store().push(desc, new java.io.ByteArrayInputStream(bytes));
    } catch (AlreadyExistsException e) {
      // the same manifest again: only the tag changes
    }
    repo.remember(desc);
    manifestCache.put(digest, info);
    if (!byDigest) {
      repo.store().tag(desc, reference);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", "/v2/" + name + "/manifests/" + digest);
    headers.put("Docker-Content-Digest", digest.toString());
    if (info.subject() != null) {
      headers.put("OCI-Subject", info.subject().digest().toString());
    }
    ex.send(201, headers);
  }

  private void checkReferences(Repo repo, ManifestInfo info) throws IOException {
    for (Descriptor reference : info.references()) {
      Descriptor have = repo.blob(reference.digest());
      if (have == null && MediaTypes.isManifest(reference.mediaType())) {
        have = resolveManifest(repo, reference.digest().toString());
      }
      if (have == null) {
        throw new RegistryError(
            404,
            ErrorCode.MANIFEST_BLOB_UNKNOWN,
            "the manifest references "
                + reference.digest()
                + " ("
                + reference.mediaType()
                + "), which is not in "
                + repo.name()
                + ": push it first",
            Map.of("digest", reference.digest().toString()));
      }
      if (have.size() != reference.size()) {
        throw new RegistryError(
            ErrorCode.MANIFEST_INVALID,
            "the manifest gives "
                + reference.digest()
                + " a size of "
                + reference.size()
                + " bytes; the registry has "
                + have.size());
      }
    }
  }

  private static RegistryError tooLarge(long length, long limit) {
    return new RegistryError(
        413,
        ErrorCode.SIZE_INVALID,
        "the manifest has "
            + (length > limit ? "over " : "")
            + length
            + " bytes; this registry accepts manifests up to "
            + limit
            + " bytes",
        null);
  }

  private static byte[] readLimited(InputStream in, long limit) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
    if (bytes.length > limit) {
      throw tooLarge(limit + 1, limit);
    }
    return bytes;
  }

  private void deleteManifest(Exchange ex, String name, String reference) throws IOException {
    Repo repo = existing(name);
    if (!isDigestReference(reference)) {
      if (!(repo.store() instanceof Untagger untagger)) {
        throw new RegistryError(
            405, ErrorCode.UNSUPPORTED, "the store of " + name + " cannot remove tags", null);
      }
      if (!Reference.isValidTag(reference)) {
        throw new RegistryError(
            ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in " + name);
      }
      try {
        untagger.untag(reference);
      } catch (NotFoundException e) {
        throw new RegistryError(
            ErrorCode.MANIFEST_UNKNOWN, "tag " + reference + " is not in " + name);
      }
      ex.send(202, Map.of());
      return;
    }
    Descriptor desc = resolveManifest(repo, reference);
    if (desc == null) {
      throw new RegistryError(
          ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in " + name);
    }
    if (!(repo.store() instanceof Deleter deleter)) {
      throw new RegistryError(
          405, ErrorCode.UNSUPPORTED, "the store of " + name + " cannot delete", null);
    }
    try {
      deleter.delete(desc);
    } catch (NotFoundException e) {
      throw new RegistryError(
          ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in " + name);
    }
    repo.forget(desc.digest());
    ex.send(202, Map.of());
  }

  // ------------------------------------------------------------------ referrers

  private void referrers(Exchange ex, String name, String reference) throws IOException {
    Digest subject = digest(reference);
    String artifactType = ex.param("artifactType");
    Optional<Repo> found = repositories.find(name);
    List<Descriptor> all = new ArrayList<>();
    if (found.isPresent()) {
      Repo repo = found.get();
      for (Descriptor candidate :
          repo.store().predecessors(Descriptor.of(MediaTypes.OCTET_STREAM, subject, 0))) {
        Descriptor referrer = referrer(repo, candidate, subject);
        if (referrer != null
            && (artifactType == null || artifactType.equals(referrer.artifactType()))) {
          all.add(referrer);
        }
      }
    }
    all.sort((a, b) -> a.digest().toString().compareTo(b.digest().toString()));
    String last = ex.param("last");
    int from = 0;
    if (last != null && !last.isEmpty()) {
      while (from < all.size() && all.get(from).digest().toString().compareTo(last) <= 0) {
        from++;
      }
    }
    int size = settings.referrersPageSize();
    String nParam = ex.param("n");
    if (nParam != null && nParam.matches("\\d{1,9}") && Integer.parseInt(nParam) > 0) {
      size = Math.min(size, Integer.parseInt(nParam));
    }
    int to = Math.min(all.size(), from + size);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", MediaTypes.OCI_INDEX);
    if (artifactType != null) {
      headers.put("OCI-Filters-Applied", "artifactType");
    }
    if (to < all.size()) {
      headers.put(
          "Link",
          "</v2/"
              + name
              + "/referrers/"
              + subject
              + "?n="
              + size
              + "&last="
              + encode(all.get(to - 1).digest().toString())
              + (artifactType == null ? "" : "&artifactType=" + encode(artifactType))
              + ">; rel=\"next\"");
    }
    ObjectNode index = Exchange.JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    for (Descriptor d : all.subList(from, to)) {
      manifests.add(Exchange.JSON.readTree(d.toJson()));
    }
    ex.send(200, headers, Exchange.JSON.writeValueAsBytes(index));
  }

  /** The referrers-API descriptor of a predecessor whose subject is {@code subject}, else null. */
  private @Nullable Descriptor referrer(Repo repo, Descriptor candidate, Digest subject)
      throws IOException {
    if (!ManifestInfo.isKnown(candidate.mediaType())
        || candidate.size() > settings.maxManifestBytes()) {
      return null;
    }
    ManifestInfo info = manifestCache.get(candidate.digest());
    if (info == null) {
      byte[] bytes;
      try (InputStream in = repo.store().fetch(candidate)) {
        bytes = in.readAllBytes();
      } catch (NotFoundException e) {
        return null;
      }
      try {
        info = ManifestInfo.parse(bytes, candidate.mediaType());
      } catch (RegistryError e) {
        return null;
      }
      manifestCache.put(candidate.digest(), info);
    }
    if (info.subject() == null || !info.subject().digest().equals(subject)) {
      return null;
    }
    return new Descriptor(
        candidate.mediaType(),
        candidate.digest(),
        candidate.size(),
        List.of(),
        info.annotations(),
        null,
        null,
        info.artifactType());
  }
}
