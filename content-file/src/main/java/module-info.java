/** Working-directory file store. */
module dev.stevedore.content.file {
  requires transitive dev.stevedore.content;
  requires dev.stevedore.content.memory;
  requires org.apache.commons.compress;
  // transitive: nullness annotations are part of the API's signatures
  requires static transitive org.jspecify;

  exports dev.stevedore.content.file;
}
