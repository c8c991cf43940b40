package dev.stevedore.content.remote;

import dev.stevedore.content.Descriptor;
import dev.stevedore.content.Storage;
import java.io.IOException;
import java.io.InputStream;

/** Small reading helpers for tests. */
final class StorageContractSupport {
  private StorageContractSupport() {}

  static byte[] readAll(Storage store, Descriptor desc) throws IOException {
    try (InputStream in = store.fetch(desc)) {
      return in.readAllBytes();
    }
  }
}
