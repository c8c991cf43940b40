package dev.stevedore.content.remote.credentials;

import java.io.IOException;

/** Gives the credential to present to a registry host. */
@FunctionalInterface
public interface CredentialProvider {
  /** A provider that is always anonymous. */
  CredentialProvider ANONYMOUS = host -> Credential.EMPTY;

  /**
   * The credential for a registry.
   *
   * @param registry the registry host with its port if any, e.g. {@code ghcr.io} or {@code
   *     localhost:5000}
   * @return the credential, {@link Credential#EMPTY} when none is known
   * @throws IOException if the source of credentials cannot be read (a broken helper, an unreadable
   *     config file)
   */
  Credential credential(String registry) throws IOException;
}
