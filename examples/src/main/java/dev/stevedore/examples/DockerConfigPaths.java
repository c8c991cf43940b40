package dev.stevedore.examples;

import dev.stevedore.content.remote.credentials.Credential;
import dev.stevedore.content.remote.credentials.CredentialProvider;
import dev.stevedore.content.remote.credentials.DockerConfigStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Credentials searched in several docker config files, in order: the first file that has a
 * credential for the registry wins; missing files are skipped (Gardener ociclient's {@code
 * Options.Paths}).
 *
 * @param files the docker config files, in search order
 */
public record DockerConfigPaths(List<Path> files) implements CredentialProvider {
  /** Copies the list. */
  public DockerConfigPaths {
    files = List.copyOf(files);
  }

  /**
   * The first credential found for the registry.
   *
   * @param registry the registry host
   * @return the credential, or {@link Credential#EMPTY} when no file has one
   * @throws IOException if a file exists but cannot be read, or a credential helper fails
   */
  @Override
  public Credential credential(String registry) throws IOException {
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      Credential credential = DockerConfigStore.open(file).credential(registry);
      if (!credential.isEmpty()) {
        return credential;
      }
    }
    return Credential.EMPTY;
  }
}
