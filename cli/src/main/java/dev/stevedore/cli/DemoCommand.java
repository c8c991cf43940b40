package dev.stevedore.cli;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.PackManifestOptions;
import dev.stevedore.content.PackManifestVersion;
import dev.stevedore.content.Packer;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.copy.Copy;
import dev.stevedore.copy.CopyOptions;
import dev.stevedore.copy.ExtendedCopyOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stevedore demo}: the main job on an embedded default, no registry needed. Packs a sample
 * directory into an OCI layout in a temp directory, signs it with a referrer, copies it with its
 * referrers to a second layout, pulls it back into files and checks they are identical.
 */
@Command(
    name = "demo",
    description = {
      "Run the main job on local OCI layouts, no registry needed: push a sample directory into",
      "oci:TMP/source:v1, attach a signature, copy both to oci:TMP/mirror:v1, pull it back and compare."
    })
final class DemoCommand extends BaseCommand {
  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Work in DIR instead of a new temp directory.")
  @Nullable String dir;

  @Option(names = "--keep", description = "Keep the work directory (always kept with --dir).")
  boolean keep;

  static final String ARTIFACT_TYPE = "application/vnd.stevedore.demo.v1";
  static final String SIGNATURE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  @Override
  public Integer call() throws Exception {
    Path work = dir != null ? resolvePath(dir) : Files.createTempDirectory("stevedore-demo-");
    Files.createDirectories(work);
    Output output = output();
    PrintWriter out = output.out();
    try {
      Path sample = writeSample(work.resolve("sample"));
      out.println("1. sample directory " + sample);

      Descriptor manifest;
      OciLayoutStore source = OciLayoutStore.open(work.resolve("source"));
      try (FileStore files = FileStore.open(sample);
          Progress progress = progress()) {
        Descriptor readme = files.add("README.txt", "text/plain", sample.resolve("README.txt"));
        Descriptor config = files.add("config", null, sample.resolve("config"));
        manifest =
            Packer.packManifest(
                files,
                PackManifestVersion.V1_1,
                ARTIFACT_TYPE,
                PackManifestOptions.defaults()
                    .withLayers(List.of(readme, config))
                    .withManifestAnnotations(
                        Map.of(
                            Annotations.CREATED,
                            "2026-01-01T00:00:00Z",
                            Annotations.TITLE,
                            "stevedore demo")));
        files.tag(manifest, "v1");
        Copy.copy(
            files,
            "v1",
            source,
            "v1",
            CopyOptions.defaults().withGraphOptions(graphOptions(null, progress)));
        out.println(
            "2. pushed oci:"
                + work.resolve("source")
                + ":v1 "
                + manifest.digest()
                + " ("
                + progress.copied()
                + " nodes)");

        byte[] bundle =
            ("{\"mediaType\":\""
                    + SIGNATURE_TYPE
                    + "\",\"demo\":\"not a real signature of "
                    + manifest.digest()
                    + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Descriptor bundleDesc = Descriptor.of(SIGNATURE_TYPE, bundle);
        source.push(bundleDesc, new java.io.ByteArrayInputStream(bundle));
        Descriptor signature =
            Packer.packManifest(
                source,
                PackManifestVersion.V1_1,
                SIGNATURE_TYPE,
                PackManifestOptions.defaults()
                    .withSubject(manifest.plain())
                    .withLayers(List.of(bundleDesc))
                    .withManifestAnnotations(Map.of(Annotations.CREATED, "2026-01-01T00:00:00Z")));
        out.println("3. attached " + SIGNATURE_TYPE + " " + signature.digest());
      }

      OciLayoutStore mirror = OciLayoutStore.open(work.resolve("mirror"));
      try (Progress progress = progress()) {
        Descriptor copied =
            Copy.extendedCopy(
                source,
                "v1",
                mirror,
                "v1",
                ExtendedCopyOptions.defaults().withGraphOptions(graphOptions(null, progress)));
        out.println(
            "4. copied with referrers to oci:" + work.resolve("mirror") + ":v1 " + copied.digest());
        out.println("   " + progress.summary());
        out.println("   " + work.resolve("mirror"));
        DiscoverCommand.Node root =
            new DiscoverCommand.Node(
                copied,
                DiscoverCommand.referrers(
                    mirror, copied, null, 4, new HashSet<>(List.of(copied.digest()))));
        printTree(out, root, "   ");
      }

      Path pulled = work.resolve("pulled");
      try (FileStore files = FileStore.open(pulled);
          Progress progress = progress()) {
        Copy.copy(
            mirror,
            "v1",
            files,
            "v1",
            CopyOptions.defaults().withGraphOptions(graphOptions(null, progress)));
      }
      boolean same = sameTree(sample, pulled);
      out.println(
          "5. pulled into "
              + pulled
              + ": "
              + (same ? "identical to the sample" : "DIFFERENT from the sample"));
      out.flush();
      return same ? 0 : Main.FAILED;
    } finally {
      if (dir == null && !keep) {
        deleteTree(work);
      } else {
        out.println("kept " + work);
        out.flush();
      }
    }
  }

  private static void printTree(PrintWriter out, DiscoverCommand.Node node, String indent) {
    out.println(indent + node.descriptor().digest() + " " + node.descriptor().mediaType());
    for (DiscoverCommand.Node referrer : node.referrers()) {
      out.println(
          indent
              + "└── "
              + referrer.descriptor().artifactType()
              + " "
              + referrer.descriptor().digest());
    }
  }

  static Path writeSample(Path sample) throws IOException {
    Files.createDirectories(sample.resolve("config/env"));
    Files.writeString(sample.resolve("README.txt"), "Packed by stevedore demo.\n");
    Files.writeString(sample.resolve("config/app.yaml"), "name: demo\nreplicas: 2\n");
    Files.writeString(sample.resolve("config/env/prod.env"), "LOG_LEVEL=info\n");
    Path script = sample.resolve("config/run.sh");
    Files.writeString(script, "#!/bin/sh\necho running\n");
    try {
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      // not POSIX: the executable bit is not part of the demo there
    }
    Files.createDirectories(sample.resolve("config/empty"));
    return sample;
  }

  static boolean sameTree(Path a, Path b) throws IOException {
    List<Path> left = relativeFiles(a);
    List<Path> right = relativeFiles(b);
    if (!left.equals(right)) {
      return false;
    }
    for (Path rel : left) {
      Path fa = a.resolve(rel);
      Path fb = b.resolve(rel);
      if (Files.isDirectory(fa) != Files.isDirectory(fb)) {
        return false;
      }
      if (Files.isRegularFile(fa)
          && !Digest.sha256(Files.readAllBytes(fa)).equals(Digest.sha256(Files.readAllBytes(fb)))) {
        return false;
      }
    }
    return true;
  }

  private static List<Path> relativeFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(root::relativize).filter(p -> !p.toString().isEmpty()).sorted().toList();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
