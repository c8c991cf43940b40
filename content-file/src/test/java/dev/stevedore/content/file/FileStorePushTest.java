package dev.stevedore.content.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.Annotations;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.DigestMismatchException;
import dev.stevedore.content.InvalidDescriptorException;
import dev.stevedore.content.InvalidReferenceException;
import dev.stevedore.content.MediaTypes;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.SizeLimitExceededException;
import dev.stevedore.content.VerifyingInputStream;
import dev.stevedore.content.internal.DurableWrite;
import dev.stevedore.content.memory.MemoryStore;
import dev.stevedore.testing.Fixtures;
import dev.stevedore.testing.GeneratedContent;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorePushTest {
  @TempDir Path dir;

  // each test opens the store (open) before it uses it; close() skips a test that did not
  @SuppressWarnings("NullAway.Init")
  private FileStore store;

  private FileStore open(FileStoreOptions options) {
    store = FileStore.open(dir.resolve("work"), options);
    return store;
  }

  @AfterEach
  void close() throws IOException {
    if (store != null) {
      store.close();
    }
  }

  static Descriptor named(String title, String content) {
    return Descriptor.of(MediaTypes.OCI_LAYER, content.getBytes(StandardCharsets.UTF_8))
        .withAnnotations(Map.of(Annotations.TITLE, title));
  }

  static void push(FileStore store, Descriptor desc, String content) throws IOException {
    store.push(desc, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
  }

  static List<String> listing(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void pushOfATitledBlobWritesTheFile() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    push(store, named("hello.txt", "hello"), "hello");
    assertThat(store.workingDirectory().resolve("hello.txt")).hasContent("hello");
  }

  @Test
  void pushOfANestedTitleCreatesTheDirectories() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    push(store, named("a/b/c.txt", "deep"), "deep");
    assertThat(store.workingDirectory().resolve("a/b/c.txt")).hasContent("deep");
  }

  @Test
  void pushedFileIsFoundAndFetchedByItsDescriptor() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = named("x.txt", "x");
    push(store, desc, "x");
    assertThat(store.exists(desc)).isTrue();
    try (InputStream in = store.fetch(desc)) {
      assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("x");
    }
  }

  @Test
  void aFailedPushLeavesNoFileBehind() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = named("sub/file.txt", "right");
    assertThatThrownBy(() -> push(store, desc, "wrong"))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(listing(store.workingDirectory())).containsExactly("", "sub");
  }

  /** Bigger than three flush-behind steps, so that background flushes run while it is written. */
  private static final long BIG = DurableWrite.FLUSH_BEHIND_BYTES * 3 + 12345;

  /** The descriptor of {@code GeneratedContent.stream(BIG, 1)}, titled big/model.bin. */
  private static Descriptor bigModel() throws IOException {
    return GeneratedContent.describe(MediaTypes.OCI_LAYER, BIG, 1)
        .withAnnotations(Map.of(Annotations.TITLE, "big/model.bin"));
  }

  @Test
  void aBigFileFlushedToDiskBehindItsWritingIsWrittenWhole() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = bigModel();

    store.push(desc, GeneratedContent.stream(BIG, 1));

    Path file = store.workingDirectory().resolve("big/model.bin");
    assertThat(Files.size(file)).isEqualTo(BIG);
    try (InputStream in = store.fetch(desc)) {
      assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(BIG);
    }
    assertThat(listing(store.workingDirectory())).containsExactly("", "big", "big/model.bin");
  }

  @Test
  void aBigFileThatDoesNotMatchLeavesNothingAfterItsBackgroundFlushes() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = bigModel();

    assertThatThrownBy(() -> store.push(desc, GeneratedContent.stream(BIG, 2)))
        .isInstanceOf(DigestMismatchException.class);

    assertThat(listing(store.workingDirectory())).containsExactly("", "big");
    assertThat(store.exists(desc)).isFalse();
  }

  @Test
  void aPushInterruptedWhileItStreamsLeavesNothingAndKeepsTheInterrupt() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = bigModel();
    InputStream interrupting =
        new FilterInputStream(GeneratedContent.stream(BIG, 1)) {
          private int reads;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (++reads == 3) {
              Thread.currentThread().interrupt();
            }
            return n;
          }
        };

    try {
      assertThatThrownBy(() -> store.push(desc, interrupting))
          .isInstanceOf(InterruptedIOException.class)
          .hasMessageContaining("nothing was stored");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted(); // the rest of the test runs without it
    }
    assertThat(listing(store.workingDirectory())).containsExactly("", "big");
  }

  @Test
  void contentThatVerifiesItselfIsStillRefusedWhenItDoesNotMatch() throws Exception {
    // a stream that already verifies against the descriptor is not hashed a second time; its own
    // check must still keep the bad content out
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = named("checked.txt", "right");
    InputStream verifying =
        new VerifyingInputStream(
            new ByteArrayInputStream("wrong".getBytes(StandardCharsets.UTF_8)), desc);

    assertThatThrownBy(() -> store.push(desc, verifying))
        .isInstanceOf(DigestMismatchException.class);

    assertThat(listing(store.workingDirectory())).containsExactly("");
  }

  @Test
  void pushOfDifferentContentUnderAWrittenNameIsRefused() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    push(store, named("same.txt", "one"), "one");
    assertThatThrownBy(() -> push(store, named("same.txt", "two"), "two"))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.DUPLICATE_NAME));
    assertThat(store.workingDirectory().resolve("same.txt")).hasContent("one");
  }

  @Test
  void pushOfTheSameContentUnderAWrittenNameAlreadyExists() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    push(store, named("same.txt", "one"), "one");
    assertThatThrownBy(() -> push(store, named("same.txt", "one"), "one"))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void pushReplacesAnExistingFileByDefault() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Files.createDirectories(store.workingDirectory());
    Files.writeString(store.workingDirectory().resolve("old.txt"), "old");
    push(store, named("old.txt", "new"), "new");
    assertThat(store.workingDirectory().resolve("old.txt")).hasContent("new");
  }

  @Test
  void pushRefusesToOverwriteAnExistingFileWhenOverwriteIsDisabled() throws Exception {
    FileStore store = open(FileStoreOptions.builder().disableOverwrite(true).build());
    Files.createDirectories(store.workingDirectory());
    Files.writeString(store.workingDirectory().resolve("old.txt"), "old");
    assertThatThrownBy(() -> push(store, named("old.txt", "new"), "new"))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.OVERWRITE_DISALLOWED));
    assertThat(store.workingDirectory().resolve("old.txt")).hasContent("old");
    assertThat(listing(store.workingDirectory())).containsExactly("", "old.txt");
  }

  @Test
  void pushRefusesATitleThatLeavesTheWorkingDirectoryWithDotDot() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    assertThatThrownBy(() -> push(store, named("../escaped.txt", "x"), "x"))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.PATH_TRAVERSAL));
    assertThat(dir.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void pushAcceptsDotDotThatStaysInside() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    push(store, named("a/../inside.txt", "in"), "in");
    assertThat(store.workingDirectory().resolve("inside.txt")).hasContent("in");
  }

  @Test
  void pushRefusesAnAbsoluteTitle() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path outside = dir.resolve("abs.txt");
    assertThatThrownBy(() -> push(store, named(outside.toString(), "x"), "x"))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.PATH_TRAVERSAL));
    assertThat(outside).doesNotExist();
  }

  @Test
  void pushRefusesATitleReachedThroughASymlinkThatLeadsOut() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createDirectories(store.workingDirectory());
    Files.createSymbolicLink(store.workingDirectory().resolve("out"), outside);
    assertThatThrownBy(() -> push(store, named("out/evil.txt", "x"), "x"))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.PATH_TRAVERSAL));
    assertThat(listing(outside)).containsExactly("");
  }

  @Test
  void pushRefusesToWriteThroughAnExistingSymlinkThatLeadsOut() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    Files.createDirectories(store.workingDirectory());
    Files.createSymbolicLink(store.workingDirectory().resolve("file.txt"), victim);
    assertThatThrownBy(() -> push(store, named("file.txt", "x"), "x"))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.PATH_TRAVERSAL));
    assertThat(victim).hasContent("precious");
  }

  @Test
  void pushWritesOutsideWhenPathTraversalIsAllowed() throws Exception {
    FileStore store = open(FileStoreOptions.builder().allowPathTraversalOnWrite(true).build());
    push(store, named("../beside.txt", "beside"), "beside");
    push(store, named(dir.resolve("absolute.txt").toString(), "abs"), "abs");
    assertThat(dir.resolve("beside.txt")).hasContent("beside");
    assertThat(dir.resolve("absolute.txt")).hasContent("abs");
  }

  @Test
  void pushRefusesATitleThatNamesTheWorkingDirectory() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    assertThatThrownBy(() -> push(store, named("a/..", "x"), "x"))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.INVALID_NAME));
  }

  @Test
  void blobsWithoutATitleGoToTheFallback() throws Exception {
    MemoryStore fallback = new MemoryStore();
    store = FileStore.open(dir.resolve("work"), FileStoreOptions.defaults(), fallback);
    Descriptor config = Fixtures.pushBlob(store, MediaTypes.OCI_CONFIG, Fixtures.utf8("{}"));
    assertThat(fallback.exists(config)).isTrue();
    assertThat(store.exists(config)).isTrue();
    assertThat(listing(store.workingDirectory())).isEmpty();
  }

  @Test
  void blobsWithoutATitleAreDiscardedWhenIgnoreNoNameIsSet() throws Exception {
    FileStore store = open(FileStoreOptions.builder().ignoreNoName(true).build());
    Descriptor config = Fixtures.pushBlob(store, MediaTypes.OCI_CONFIG, Fixtures.utf8("{\"a\":1}"));
    assertThat(store.exists(config)).isFalse();
    assertThatThrownBy(() -> store.fetch(config)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void blobsWithoutATitleOverTheFallbackLimitAreRefused() throws Exception {
    FileStore store = open(FileStoreOptions.builder().fallbackPushSizeLimit(10).build());
    byte[] big = Fixtures.randomBytes(11, 1);
    Descriptor desc = Descriptor.of("application/octet-stream", big);
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(big)))
        .isInstanceOf(SizeLimitExceededException.class)
        .hasMessageContaining("fallbackPushSizeLimit");
    assertThat(store.exists(desc)).isFalse();
  }

  @Test
  void fetchOfATitleNeverWrittenIsNotFoundEvenIfTheContentIsThere() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    push(store, named("one.txt", "same"), "same");
    Descriptor other = named("two.txt", "same");
    assertThat(store.exists(other)).isFalse();
    assertThatThrownBy(() -> store.fetch(other))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("two.txt");
  }

  @Test
  void fetchOfAFileChangedOnDiskFailsVerification() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = named("c.txt", "12345");
    push(store, desc, "12345");
    Files.writeString(store.workingDirectory().resolve("c.txt"), "54321");
    assertThatThrownBy(
            () -> {
              try (InputStream in = store.fetch(desc)) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(DigestMismatchException.class);
  }

  private static Descriptor manifestOver(FileStore store, List<Descriptor> layers)
      throws IOException {
    return Fixtures.pushImage(store, layers);
  }

  @Test
  void pushOfAManifestRestoresNamedLayersWhoseContentCameUnderAnotherName() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor first = named("first.txt", "shared");
    Descriptor second = named("second.txt", "shared");
    push(store, first, "shared");
    manifestOver(store, List.of(first, second));
    assertThat(store.workingDirectory().resolve("second.txt")).hasContent("shared");
    assertThat(store.exists(second)).isTrue();
  }

  @Test
  void forceCasDoesNotRestoreNamedLayers() throws Exception {
    FileStore store = open(FileStoreOptions.builder().forceCas(true).build());
    Descriptor first = named("first.txt", "shared");
    Descriptor second = named("second.txt", "shared");
    push(store, first, "shared");
    manifestOver(store, List.of(first, second));
    assertThat(store.workingDirectory().resolve("second.txt")).doesNotExist();
    assertThat(store.exists(second)).isFalse();
  }

  @Test
  void namedLayersKnowTheManifestThatPointsAtThem() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor layer = named("layer.txt", "l");
    push(store, layer, "l");
    Descriptor manifest = manifestOver(store, List.of(layer));
    assertThat(store.predecessors(layer))
        .extracting(Descriptor::digest)
        .containsExactly(manifest.digest());
  }

  @Test
  void tagAndResolveOfANamedBlob() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = named("t.txt", "t");
    push(store, desc, "t");
    store.tag(desc, "v1");
    assertThat(store.resolve("v1")).isEqualTo(desc);
    assertThat(store.resolve(desc.digest().toString())).isEqualTo(desc);
  }

  @Test
  void pushRefusesAFileWhoseTitleNamesAnExistingDirectory() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Files.createDirectories(store.workingDirectory().resolve("taken/inner"));
    assertThatThrownBy(() -> push(store, named("taken", "x"), "x"))
        .isInstanceOfSatisfying(
            FileStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(FileStoreException.Reason.PATH_CONFLICT));
    assertThat(listing(store.workingDirectory())).containsExactly("", "taken", "taken/inner");
  }

  @Test
  void pushRefusesAMalformedManifestAndStoresNothing() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    byte[] json = Fixtures.utf8("{\"layers\": 42}");
    Descriptor desc = Descriptor.of(MediaTypes.OCI_MANIFEST, json);
    assertThatThrownBy(() -> store.push(desc, new ByteArrayInputStream(json)))
        .isInstanceOf(InvalidDescriptorException.class);
    assertThat(store.exists(desc)).isFalse();
  }

  @Test
  void resolveAndTagRefuseAnEmptyReference() throws Exception {
    FileStore store = open(FileStoreOptions.defaults());
    Descriptor desc = named("t.txt", "t");
    push(store, desc, "t");
    assertThatThrownBy(() -> store.resolve("")).isInstanceOf(InvalidReferenceException.class);
    assertThatThrownBy(() -> store.tag(desc, "")).isInstanceOf(InvalidReferenceException.class);
  }
}
