/** OCI image layout store. */
module dev.stevedore.content.ocilayout {
  requires transitive dev.stevedore.content;
  requires org.apache.commons.compress;
  requires static org.jspecify;

  exports dev.stevedore.content.ocilayout;
}
