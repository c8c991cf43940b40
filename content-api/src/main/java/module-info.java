/**
 * Stevedore's content API: value types, storage interfaces, errors, verifying streams,
 * successor discovery, manifest packing, platform matching.
 */
module dev.stevedore.content {
  requires transitive com.fasterxml.jackson.databind;
  requires static org.jspecify;

  exports dev.stevedore.content;
  exports dev.stevedore.content.internal to
      dev.stevedore.content.memory,
      dev.stevedore.content.file,
      dev.stevedore.content.ocilayout,
      dev.stevedore.content.remote,
      dev.stevedore.copy,
      dev.stevedore.testing;

  opens dev.stevedore.content to com.fasterxml.jackson.databind;
}
