package dev.stevedore.content;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Lists the referrers of a subject (manifests whose {@code subject} is it). An optional capability.
 */
public interface ReferrerLister {
  /**
   * Lists the referrers of {@code subject}, one page at a time.
   *
   * @param subject the subject manifest
   * @param artifactType only referrers of this artifact type, or null for all
   * @param consumer receives each page
   * @throws IOException if the listing fails or the consumer throws
   */
  void referrers(
      Descriptor subject, @Nullable String artifactType, PageConsumer<Descriptor> consumer)
      throws IOException;

  /**
   * All referrers of {@code subject}, collected.
   *
   * @param subject the subject manifest
   * @param artifactType only this artifact type, or null for all
   * @return the referrers
   * @throws IOException if the listing fails
   */
  default List<Descriptor> listReferrers(Descriptor subject, @Nullable String artifactType)
      throws IOException {
    List<Descriptor> all = new ArrayList<>();
    referrers(subject, artifactType, all::addAll);
    return all;
  }
}
