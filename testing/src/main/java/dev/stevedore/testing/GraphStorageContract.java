package dev.stevedore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Digest;
import dev.stevedore.content.GraphStorage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link GraphStorage} meets, registries included: a manifest with a {@code
 * subject} is a predecessor of that subject (a referrer).
 *
 * @param <S> the store type
 */
public interface GraphStorageContract<S extends GraphStorage> extends StoreContract<S> {

  /**
   * The digests of descriptors.
   *
   * @param descs the descriptors
   * @return their digests
   */
  static List<Digest> digests(List<Descriptor> descs) {
    return descs.stream().map(Descriptor::digest).toList();
  }

  /** Contract: A referrer is a predecessor of its subject. */
  @Test
  default void aReferrerIsAPredecessorOfItsSubject() throws Exception {
    S store = newStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("subject"));
    Descriptor subject = Fixtures.pushImage(store, List.of(layer));
    Descriptor signature =
        Fixtures.pushReferrer(
            store, subject, "application/vnd.stevedore.signature", Fixtures.utf8("sig"));
    Descriptor sbom =
        Fixtures.pushReferrer(
            store, subject, "application/vnd.stevedore.sbom", Fixtures.utf8("sbom"));
    assertThat(digests(store.predecessors(subject))).contains(signature.digest(), sbom.digest());
  }

  /** Contract: A referrer of a referrer is found. */
  @Test
  default void aReferrerOfAReferrerIsFound() throws Exception {
    S store = newStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("base"));
    Descriptor subject = Fixtures.pushImage(store, List.of(layer));
    Descriptor signature =
        Fixtures.pushReferrer(
            store, subject, "application/vnd.stevedore.signature", Fixtures.utf8("sig-1"));
    Descriptor counterSignature =
        Fixtures.pushReferrer(
            store, signature, "application/vnd.stevedore.signature", Fixtures.utf8("sig-2"));
    assertThat(digests(store.predecessors(signature))).contains(counterSignature.digest());
  }

  /** Contract: A node nobody points at has no predecessors. */
  @Test
  default void aNodeNobodyPointsAtHasNoPredecessors() throws Exception {
    S store = newStore();
    Descriptor layer =
        Fixtures.pushBlob(store, "application/vnd.stevedore.test.layer", Fixtures.utf8("alone"));
    Descriptor manifest = Fixtures.pushImage(store, List.of(layer));
    assertThat(store.predecessors(manifest)).isEmpty();
  }
}
