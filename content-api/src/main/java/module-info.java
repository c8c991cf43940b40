/**
 * Stevedore's content API: value types, storage interfaces, errors, verifying streams, successor
 * discovery, manifest packing, platform matching.
 *
 * <p>Jackson is used inside (JSON of manifests and indexes) but no Jackson type is part of the API,
 * so it is required without {@code transitive}. The {@code internal} package is machinery shared by
 * Stevedore's own modules and is exported only to them.
 */
module dev.stevedore.content {
  requires com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  // transitive: nullness annotations are part of the API's signatures
  requires static transitive org.jspecify;

  exports dev.stevedore.content;
  exports dev.stevedore.content.internal to
      dev.stevedore.content.memory,
      dev.stevedore.content.file,
      dev.stevedore.content.ocilayout,
      dev.stevedore.content.remote,
      dev.stevedore.copy;

  opens dev.stevedore.content to
      com.fasterxml.jackson.databind;
}
