package dev.stevedore.content;

/**
 * A stream that checks its own content against a descriptor: it never hands out more than the
 * descriptor's size and throws ({@link DigestMismatchException}, {@link SizeLimitExceededException})
 * before it reports its end when the content does not match. {@link VerifyingInputStream} is one;
 * the copy engine's transfer streams are others.
 *
 * <p>A store that receives one for the same digest and size need not hash the content a second
 * time ({@link VerifyingInputStream#wrap}); it must still read it to its end ({@code -1}) before
 * it makes the content visible, since the check happens there.
 */
public interface VerifiedStream {
  /**
   * The descriptor the content is checked against.
   *
   * @return the descriptor
   */
  Descriptor verifiedDescriptor();
}
