package dev.stevedore.cli;

import dev.stevedore.content.Descriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * oras 1.2's JSON shapes ({@code --format json}): a descriptor is {@code reference} (name@digest),
 * {@code mediaType}, {@code digest}, {@code size}, then {@code annotations} and {@code
 * artifactType} when present, in that order.
 */
final class OrasJson {
  private OrasJson() {}

  /**
   * A descriptor with its digest reference.
   *
   * @param name the repository ({@code host/repo}) or layout path the descriptor is in
   * @param desc the descriptor
   * @return an ordered map for Jackson
   */
  static Map<String, Object> descriptor(String name, Descriptor desc) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reference", name + "@" + desc.digest());
    m.put("mediaType", desc.mediaType());
    m.put("digest", desc.digest().toString());
    m.put("size", desc.size());
    if (!desc.annotations().isEmpty()) {
      m.put("annotations", desc.annotations());
    }
    if (desc.artifactType() != null) {
      m.put("artifactType", desc.artifactType());
    }
    return m;
  }
}
