/** The {@code stevedore} command line. */
module dev.stevedore.cli {
  requires dev.stevedore.content;
  requires dev.stevedore.content.memory;
  requires dev.stevedore.content.file;
  requires dev.stevedore.content.ocilayout;
  requires dev.stevedore.content.remote;
  requires dev.stevedore.copy;
  requires dev.stevedore.server;
  requires info.picocli;
  requires java.logging;
  requires me.tongfei.progressbar;
  requires static org.jspecify;

  exports dev.stevedore.cli;
  opens dev.stevedore.cli to info.picocli;
}
