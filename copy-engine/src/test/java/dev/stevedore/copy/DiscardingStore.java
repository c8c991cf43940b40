package dev.stevedore.copy;

import dev.stevedore.content.AlreadyExistsException;
import dev.stevedore.content.ContentKey;
import dev.stevedore.content.Descriptor;
import dev.stevedore.content.NotFoundException;
import dev.stevedore.content.Storage;
import dev.stevedore.content.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A destination that verifies what is pushed (size and digest) and then forgets the bytes. */
final class DiscardingStore implements Storage {
  private final Set<ContentKey> stored = ConcurrentHashMap.newKeySet();

  @Override
  public InputStream fetch(Descriptor target) throws IOException {
    throw new NotFoundException(target.digest() + ": a discarding store keeps no content");
  }

  @Override
  public boolean exists(Descriptor target) {
    return stored.contains(target.key());
  }

  @Override
  public void push(Descriptor expected, InputStream content) throws IOException {
    if (stored.contains(expected.key())) {
      throw new AlreadyExistsException(expected.digest() + ": already exists");
    }
    VerifyingInputStream in = new VerifyingInputStream(content, expected);
    byte[] buffer = new byte[64 * 1024];
    while (in.read(buffer) >= 0) {
      // hashed by the verifying stream, then dropped
    }
    stored.add(expected.key());
  }
}
