package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformTest {
  @Test
  void osAndArchitectureMustBeEqual() {
    assertThat(Platform.of("linux", "amd64").matches(Platform.of("linux", "amd64"))).isTrue();
    assertThat(Platform.of("linux", "amd64").matches(Platform.of("linux", "arm64"))).isFalse();
    assertThat(Platform.of("windows", "amd64").matches(Platform.of("linux", "amd64"))).isFalse();
  }

  @Test
  void variantMatchesOnlyWhenRequested() {
    Platform armV8 = new Platform("arm64", "linux", null, List.of(), "v8");
    assertThat(armV8.matches(Platform.of("linux", "arm64"))).isTrue();
    assertThat(armV8.matches(Platform.parse("linux/arm64/v8"))).isTrue();
    assertThat(armV8.matches(Platform.parse("linux/arm64/v7"))).isFalse();
  }

  @Test
  void requestedOsFeaturesMustAllBePresent() {
    Platform win = new Platform("amd64", "windows", "10.0.17763", List.of("win32k", "extra"), null);
    assertThat(win.matches(new Platform("amd64", "windows", null, List.of("win32k"), null)))
        .isTrue();
    assertThat(win.matches(new Platform("amd64", "windows", null, List.of("missing"), null)))
        .isFalse();
    assertThat(win.matches(new Platform("amd64", "windows", "10.0.1", List.of(), null))).isFalse();
  }

  @Test
  void parseRejectsBadShapes() {
    assertThatThrownBy(() -> Platform.parse("linux")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Platform.parse("linux//v8"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void selectTakesTheFirstMatchingManifestOfAnIndex() throws Exception {
    Map<Digest, byte[]> blobs = new HashMap<>();
    Fetcher fetcher = d -> new ByteArrayInputStream(blobs.get(d.digest()));
    Descriptor amd =
        Descriptor.of(MediaTypes.OCI_MANIFEST, new byte[] {1})
            .withPlatform(Platform.of("linux", "amd64"));
    Descriptor arm1 =
        Descriptor.of(MediaTypes.OCI_MANIFEST, new byte[] {2})
            .withPlatform(Platform.of("linux", "arm64"));
    Descriptor arm2 =
        Descriptor.of(MediaTypes.OCI_MANIFEST, new byte[] {3})
            .withPlatform(Platform.of("linux", "arm64"));
    byte[] json = Index.of(List.of(amd, arm1, arm2)).toJson();
    Descriptor index = Descriptor.of(MediaTypes.OCI_INDEX, json);
    blobs.put(index.digest(), json);
    assertThat(Platforms.select(fetcher, index, Platform.of("linux", "arm64"), 1 << 20))
        .isEqualTo(arm1);
    assertThatThrownBy(
            () -> Platforms.select(fetcher, index, Platform.of("linux", "s390x"), 1 << 20))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("linux/s390x");
  }

  @Test
  void selectChecksTheConfigOfAManifest() throws Exception {
    Map<Digest, byte[]> blobs = new HashMap<>();
    Fetcher fetcher = d -> new ByteArrayInputStream(blobs.get(d.digest()));
    byte[] config =
        "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, config);
    blobs.put(configDesc.digest(), config);
    byte[] json =
        new Manifest(2, MediaTypes.OCI_MANIFEST, null, configDesc, List.of(), null, Map.of())
            .toJson();
    Descriptor manifest = Descriptor.of(MediaTypes.OCI_MANIFEST, json);
    blobs.put(manifest.digest(), json);
    assertThat(Platforms.select(fetcher, manifest, Platform.of("linux", "arm64"), 1 << 20))
        .isEqualTo(manifest);
    assertThatThrownBy(
            () -> Platforms.select(fetcher, manifest, Platform.of("linux", "amd64"), 1 << 20))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void selectOnABlobIsUnsupported() {
    Descriptor blob = Descriptor.of("application/octet-stream", new byte[] {1});
    assertThatThrownBy(
            () ->
                Platforms.select(
                    d -> {
                      throw new AssertionError("a blob has no platform index to fetch");
                    },
                    blob,
                    Platform.of("linux", "amd64"),
                    100))
        .isInstanceOf(UnsupportedContentException.class);
  }
}
