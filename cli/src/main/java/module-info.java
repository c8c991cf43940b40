/** The {@code stevedore} command line. */
module dev.stevedore.cli {
  requires dev.stevedore.content;
  requires dev.stevedore.content.file;
  requires dev.stevedore.content.ocilayout;
  requires dev.stevedore.content.remote;
  requires dev.stevedore.copy;
  requires com.fasterxml.jackson.databind;
  requires dev.stevedore.server;
  requires info.picocli;
  requires java.logging;
  requires me.tongfei.progressbar;
  // transitive: nullness annotations are part of the API's signatures
  requires static transitive org.jspecify;

  exports dev.stevedore.cli;

  opens dev.stevedore.cli to
      info.picocli;
}
