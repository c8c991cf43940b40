/** Working-directory file store. */
module dev.stevedore.content.file {
  requires transitive dev.stevedore.content;
  requires dev.stevedore.content.memory;
  requires org.apache.commons.compress;
  requires static org.jspecify;

  exports dev.stevedore.content.file;
}
