package dev.stevedore.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Annotations;
import dev.stevedore.content.Contents;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.GraphTarget;
import dev.stevedore.content.Platform;
import dev.stevedore.content.Successors;
import dev.stevedore.content.file.FileStore;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.content.ocilayout.OciLayoutStore;
import dev.stevedore.testing.Fixtures;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Copies between every pair of the real backends (memory, OCI layout, file store) on the graph
 * shapes users move: an image, a multi-platform index sharing a base layer, a diamond, and an
 * artifact with a signature on a signature (extended copy).
 */
@Timeout(60)
class CrossBackendCopyTest {
  @TempDir Path dir;
  private final List<Closeable> opened = new ArrayList<>();
  private int counter;

  @AfterEach
  void close() throws IOException {
    for (Closeable c : opened) {
      c.close();
    }
  }

  static Stream<Arguments> pairs() {
    List<Arguments> out = new ArrayList<>();
    for (String src : List.of("memory", "layout", "file")) {
      for (String dst : List.of("memory", "layout", "file")) {
        out.add(Arguments.of(src, dst));
      }
    }
    return out.stream();
  }

  private GraphTarget open(String kind) throws IOException {
    Path where = dir.resolve(kind + "-" + counter++);
    return switch (kind) {
      case "memory" -> new MemoryStore();
      case "layout" -> OciLayoutStore.open(where);
      case "file" -> {
        FileStore store = FileStore.open(where);
        opened.add(store);
        yield store;
      }
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** A layer with a title, so a file store writes it as a file. */
  private static Descriptor layer(GraphTarget store, String name) throws IOException {
    byte[] content = Fixtures.utf8("content of " + name);
    Descriptor desc =
        Descriptor.of("application/vnd.oci.image.layer.v1.tar", content)
            .withAnnotations(Map.of(Annotations.TITLE, name));
    return Fixtures.push(store, desc, content);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("pairs")
  void anImageArrivesWholeAndTagged(String from, String to) throws Exception {
    GraphTarget src = open(from);
    GraphTarget dst = open(to);
    Descriptor root = Fixtures.pushImage(src, List.of(layer(src, "a.txt"), layer(src, "b.txt")));
    src.tag(root, "v1");
    Descriptor copied = Copy.copy(src, "v1", dst, "v1", CopyOptions.defaults());
    assertThat(copied.digest()).isEqualTo(root.digest());
    assertThat(dst.resolve("v1").digest()).isEqualTo(root.digest());
    assertThat(graph(dst, root)).isEqualTo(graph(src, root));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("pairs")
  void aMultiPlatformIndexSharingABaseLayerArrivesWhole(String from, String to) throws Exception {
    GraphTarget src = open(from);
    GraphTarget dst = open(to);
    Descriptor base = layer(src, "base.tar");
    List<Descriptor> manifests = new ArrayList<>();
    for (Platform platform :
        List.of(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"))) {
      Descriptor config = Fixtures.pushConfig(src, platform);
      Descriptor own = layer(src, platform.architecture() + ".tar");
      manifests.add(
          Fixtures.pushManifest(src, null, config, List.of(base, own), null, Map.of())
              .withPlatform(platform));
    }
    Descriptor index = Fixtures.pushIndex(src, manifests);
    src.tag(index, "multi");
    Copy.copy(src, "multi", dst, "multi", CopyOptions.defaults());
    assertThat(graph(dst, index)).isEqualTo(graph(src, index));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("pairs")
  void onePlatformIsPickedOutOfAnIndex(String from, String to) throws Exception {
    GraphTarget src = open(from);
    GraphTarget dst = open(to);
    List<Descriptor> manifests = new ArrayList<>();
    for (Platform platform :
        List.of(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"))) {
      Descriptor config = Fixtures.pushConfig(src, platform);
      manifests.add(
          Fixtures.pushManifest(
                  src,
                  null,
                  config,
                  List.of(layer(src, platform.architecture() + ".bin")),
                  null,
                  Map.of())
              .withPlatform(platform));
    }
    src.tag(Fixtures.pushIndex(src, manifests), "multi");
    Descriptor picked =
        Copy.copy(
            src,
            "multi",
            dst,
            "arm",
            CopyOptions.defaults().withTargetPlatform(Platform.of("linux", "arm64")));
    assertThat(picked.digest()).isEqualTo(manifests.get(1).digest());
    assertThat(dst.resolve("arm").digest()).isEqualTo(manifests.get(1).digest());
    assertThat(dst.exists(manifests.get(0))).isFalse();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("pairs")
  void aDiamondArrivesWhole(String from, String to) throws Exception {
    GraphTarget src = open(from);
    GraphTarget dst = open(to);
    Descriptor shared = layer(src, "shared.txt");
    Descriptor left = Fixtures.pushImage(src, List.of(shared, layer(src, "left.txt")));
    Descriptor right = Fixtures.pushImage(src, List.of(shared, layer(src, "right.txt")));
    Descriptor top = Fixtures.pushIndex(src, List.of(left, right));
    Copy.copyGraph(src, dst, top, CopyGraphOptions.defaults());
    assertThat(graph(dst, top)).isEqualTo(graph(src, top));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("pairs")
  void anArtifactTravelsWithASignatureOnASignature(String from, String to) throws Exception {
    GraphTarget src = open(from);
    GraphTarget dst = open(to);
    Descriptor subject = Fixtures.pushImage(src, List.of(layer(src, "app.bin")));
    src.tag(subject, "v1");
    Descriptor signature =
        Fixtures.pushReferrer(src, subject, "application/vnd.test.signature", Fixtures.utf8("sig"));
    Descriptor counter =
        Fixtures.pushReferrer(
            src, signature, "application/vnd.test.signature", Fixtures.utf8("countersig"));
    Copy.extendedCopy(src, "v1", dst, "v1", ExtendedCopyOptions.defaults());
    assertThat(dst.resolve("v1").digest()).isEqualTo(subject.digest());
    assertThat(dst.exists(signature)).isTrue();
    assertThat(dst.exists(counter)).isTrue();
    assertThat(dst.predecessors(subject))
        .extracting(Descriptor::digest)
        .contains(signature.digest());
    assertThat(dst.predecessors(signature))
        .extracting(Descriptor::digest)
        .contains(counter.digest());
  }

  /** Every node reachable from root, with its bytes' digest checked by reading it whole. */
  private static Set<String> graph(GraphTarget store, Descriptor root) throws IOException {
    Set<String> seen = new HashSet<>();
    Deque<Descriptor> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      Descriptor node = todo.pop();
      if (!seen.add(node.digest().toString())) {
        continue;
      }
      byte[] bytes = Contents.fetchAll(store, node, 64 * 1024 * 1024);
      todo.addAll(Successors.parse(node, bytes));
    }
    return seen;
  }
}
