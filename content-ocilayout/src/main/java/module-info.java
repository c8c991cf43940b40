/** OCI image layout store. */
module dev.stevedore.content.ocilayout {
  requires transitive dev.stevedore.content;
  requires com.fasterxml.jackson.databind;
  requires org.apache.commons.compress;
  // transitive: nullness annotations are part of the API's signatures
  requires static transitive org.jspecify;

  exports dev.stevedore.content.ocilayout;
}
