package dev.stevedore.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {
  private static final byte[] CONTENT =
      "verified content".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final Descriptor DESC = Descriptor.of("application/x", CONTENT);

  @Test
  void noPublicMarkerLetsAStreamSkipVerification() {
    // It used to be a public interface: any stream implementing it passed wrap() unchecked.
    assertThatThrownBy(() -> Class.forName("dev.stevedore.content.VerifiedStream"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThat(VerifyingInputStream.class.getInterfaces()).isEmpty();
  }

  @Test
  void wrapChecksAForeignStreamWhateverItIs() {
    byte[] other = CONTENT.clone();
    other[0] ^= 1;
    InputStream foreign = new java.io.FilterInputStream(new ByteArrayInputStream(other)) {};
    InputStream wrapped = VerifyingInputStream.wrap(foreign, DESC);
    assertThat(wrapped).isInstanceOf(VerifyingInputStream.class);
    assertThatThrownBy(wrapped::readAllBytes).isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void wrapReusesAVerifyingStreamForTheSameContent() {
    InputStream verifying = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), DESC);
    assertThat(VerifyingInputStream.wrap(verifying, DESC)).isSameAs(verifying);
  }

  @Test
  void matchingContentReadsToTheEnd() throws Exception {
    try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), DESC)) {
      assertThat(in.readAllBytes()).isEqualTo(CONTENT);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void truncatedContentFailsBeforeEndOfStreamIsReported() {
    InputStream in =
        new VerifyingInputStream(new ByteArrayInputStream(Arrays.copyOf(CONTENT, 5)), DESC);
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("ended after 5 of " + CONTENT.length + " bytes");
  }

  @Test
  void trailingBytesFail() {
    byte[] longer = Arrays.copyOf(CONTENT, CONTENT.length + 1);
    InputStream in = new VerifyingInputStream(new ByteArrayInputStream(longer), DESC);
    assertThatThrownBy(in::readAllBytes).isInstanceOf(SizeLimitExceededException.class);
  }

  @Test
  void differentBytesOfTheSameSizeFailWithBothDigests() {
    byte[] other = CONTENT.clone();
    other[0] ^= 1;
    InputStream in = new VerifyingInputStream(new ByteArrayInputStream(other), DESC);
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOfSatisfying(
            DigestMismatchException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(DESC.digest());
              assertThat(e.actual()).isEqualTo(Digest.sha256(other));
            });
  }

  @Test
  void neverHandsOutMoreThanTheDescriptorSize() throws Exception {
    byte[] longer = Arrays.copyOf(CONTENT, CONTENT.length + 100);
    InputStream in = new VerifyingInputStream(new ByteArrayInputStream(longer), DESC);
    byte[] buffer = new byte[1000];
    int n = in.read(buffer, 0, buffer.length);
    assertThat(n).isEqualTo(CONTENT.length);
  }

  @Test
  void skippedBytesAreHashedToo() {
    byte[] other = CONTENT.clone();
    other[1] ^= 1;
    InputStream in = new VerifyingInputStream(new ByteArrayInputStream(other), DESC);
    assertThatThrownBy(
            () -> {
              in.skip(3);
              in.readAllBytes();
            })
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void readAllRefusesAHostileSizeBeforeReading() {
    Descriptor huge = Descriptor.of(MediaTypes.OCI_MANIFEST, DESC.digest(), Long.MAX_VALUE / 2);
    InputStream never =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("must not read");
          }

          @Override
          public int read(byte[] b, int off, int len) {
            throw new AssertionError("must not read");
          }
        };
    assertThatThrownBy(() -> Contents.readAll(never, huge, Contents.DEFAULT_MAX_METADATA_BYTES))
        .isInstanceOf(SizeLimitExceededException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void readLimitedStopsAtTheLimit() {
    assertThatThrownBy(() -> Contents.readLimited(new ByteArrayInputStream(new byte[101]), 100))
        .isInstanceOf(SizeLimitExceededException.class);
  }

  @Test
  void readLimitedReturnsEverythingUnderTheLimit() throws Exception {
    assertThat(Contents.readLimited(new ByteArrayInputStream(CONTENT), 100)).isEqualTo(CONTENT);
  }
}
