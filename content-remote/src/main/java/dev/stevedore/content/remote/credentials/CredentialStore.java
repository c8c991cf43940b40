package dev.stevedore.content.remote.credentials;

import java.io.IOException;

/**
 * A {@link CredentialProvider} that can also save and remove credentials ({@code login} / {@code
 * logout}).
 */
public interface CredentialStore extends CredentialProvider {
  /**
   * Saves a credential for a registry, replacing any previous one.
   *
   * @param registry the registry host
   * @param credential the credential
   * @throws IOException if it cannot be saved
   */
  void store(String registry, Credential credential) throws IOException;

  /**
   * Removes the credential of a registry. Removing what is not there is not an error.
   *
   * @param registry the registry host
   * @throws IOException if it cannot be removed
   */
  void erase(String registry) throws IOException;
}
