package dev.stevedore.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Puts a generated layout into a registry before the measured runs, with no tool under test
 * involved: every blob (POST + monolithic PUT over kept-alive connections), then every manifest by
 * digest, then the root under the tag. Only for layouts {@link LayoutGenerator} wrote.
 *
 * <pre>java dev.stevedore.benchmarks.Seeder DIR 127.0.0.1:PORT/repo:tag</pre>
 */
public final class Seeder {
  private static final Pattern ROOT =
      Pattern.compile("\"mediaType\":\"([^\"]+)\",\"digest\":\"(sha256:[0-9a-f]{64})\"");

  private Seeder() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String ref = args[1];
    String host = ref.substring(0, ref.indexOf('/'));
    String repo = ref.substring(ref.indexOf('/') + 1, ref.lastIndexOf(':'));
    String tag = ref.substring(ref.lastIndexOf(':') + 1);
    String base = "http://" + host + "/v2/" + repo;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    List<Path> blobs;
    try (Stream<Path> s = Files.list(dir.resolve("blobs/sha256"))) {
      blobs = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (Path blob : blobs) {
        tasks.add(
            pool.submit(
                () -> {
                  pushBlob(http, base, blob);
                  return null;
                }));
      }
      for (Future<?> f : tasks) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (Path blob : blobs) {
      byte[] head = readHead(blob);
      String start = new String(head, StandardCharsets.ISO_8859_1);
      if (start.contains("\"mediaType\":\"" + LayoutGenerator.MANIFEST + "\"")) {
        putManifest(http, base, "sha256:" + blob.getFileName(), blob, LayoutGenerator.MANIFEST);
      }
    }
    Matcher root = ROOT.matcher(Files.readString(dir.resolve("index.json")));
    if (!root.find()) {
      throw new IOException(dir + "/index.json: no root descriptor");
    }
    Path rootBlob =
        dir.resolve("blobs/sha256").resolve(root.group(2).substring("sha256:".length()));
    putManifest(http, base, tag, rootBlob, root.group(1));
  }

  private static byte[] readHead(Path blob) throws IOException {
    try (var in = Files.newInputStream(blob)) {
      return in.readNBytes(120);
    }
  }

  private static void pushBlob(HttpClient http, String base, Path blob) throws Exception {
    String digest = "sha256:" + blob.getFileName();
    HttpResponse<Void> head =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (head.statusCode() == 200) {
      return;
    }
    HttpResponse<Void> post =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    String location =
        post.headers()
            .firstValue("Location")
            .orElseThrow(
                () -> new IOException(base + ": upload start answered " + post.statusCode()));
    URI upload = URI.create(base).resolve(location);
    String sep = upload.getQuery() == null ? "?" : "&";
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(blob))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new IOException(digest + ": upload answered " + put.statusCode() + " " + put.body());
    }
  }

  private static void putManifest(
      HttpClient http, String base, String reference, Path file, String mediaType)
      throws Exception {
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofFile(file))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 201) {
      throw new IOException(
          reference + ": manifest PUT answered " + put.statusCode() + " " + put.body());
    }
  }
}
